#include "plugins/consec/consec_importer.hpp"

#include <algorithm>
#include <cctype>

#include "import/batch_script.hpp"
#include "plugins/consec/consec_codes.hpp"
#include "plugins/consec/consec_command.hpp"
#include "plugins/consec/consec_listing.hpp"
#include "plugins/consec/consec_policy.hpp"
#include "plugins/consec/consec_script.hpp"

namespace winipsec {
namespace {

using namespace consec;

// A console prompt copied with the command ("C:\\> netsh ...", "PS C:\\> ...",
// corpus #94); the batch layer strips it the same way before import.
void strip_prompt(std::string& text) {
    std::size_t start = text.starts_with("PS ") ? 3 : 0;
    const bool drive = text.size() > start + 2 && std::isalpha(static_cast<unsigned char>(text[start])) &&
                       text[start + 1] == ':' && text[start + 2] == '\\';
    const auto gt = text.find('>');
    if (!drive || gt == std::string::npos || text.find(' ', start) < gt) return;
    text.erase(0, text.find_first_not_of(" \t", gt + 1));
}

class ConsecImporter final : public Importer {
public:
    std::string_view name() const override { return "consec"; }

    // netsh advfirewall lines count for us, other command lines against us. A
    // file that also has legacy `netsh ipsec` lines belongs to the netsh
    // importer (which scores 50 or more for them and reports the consec lines
    // it skips), so it scores low here. `consec show rule` listings: 90.
    int recognise(const DecodedText& text) const override {
        int advfirewall = 0, consec = 0, legacy = 0, other = 0;
        std::string_view rest = text.utf8;
        int number = 0;
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            ScriptLine line;
            line.text = std::string(rest.substr(0, nl));
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
            ++number;
            const auto begin = line.text.find_first_not_of(" \t\r@");
            if (begin == std::string::npos) continue;
            line.text.erase(0, begin);
            strip_prompt(line.text);
            switch (classify_command(line).kind) {
                case CommandKind::NotNetsh:
                case CommandKind::OtherNetsh: ++other; break;
                case CommandKind::LegacyIpsec: ++legacy; break;
                case CommandKind::ConsecAddRule:
                case CommandKind::ConsecDeleteRule:
                case CommandKind::ConsecSetRule:
                case CommandKind::ConsecShow:
                case CommandKind::ConsecOther: ++consec; [[fallthrough]];
                default: ++advfirewall; break;
            }
        }
        if (consec == 0) return count_listing_lines(text.utf8) >= 3 ? 90 : 0;
        if (legacy > 0) return 25;
        return std::min(100, 60 + 40 * advfirewall / (advfirewall + other));
    }

    void import(const DecodedText& text, const ImportOptions& options, PolicyStore& store,
                Diagnostics& diagnostics) const override {
        ConsecPolicy policy(store, diagnostics);
        const BatchScript script = read_batch_script(text, BatchOptions{options.defines}, diagnostics);
        std::size_t commands = 0;
        for (const auto& line : script.commands) {
            const auto kind = classify_command(line).kind;
            if (kind != CommandKind::NotNetsh && kind != CommandKind::OtherNetsh) ++commands;
        }
        // A listing has no commands at all; a script is run as one.
        if (commands == 0 && count_listing_lines(text.utf8) > 0)
            run_listing(text, policy, diagnostics);
        else if (run_script(script, policy, diagnostics) == 0)
            diagnostics.error(code::no_commands, SourceLocation{text.path, 1, 1},
                              "no `netsh advfirewall consec` command and no `consec show rule` listing found; "
                              "nothing imported");
        policy.finish();
    }
};

}  // namespace

const Importer& consec_importer() {
    static const ConsecImporter instance;
    return instance;
}

}  // namespace winipsec
