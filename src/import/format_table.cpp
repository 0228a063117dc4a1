#include "import/format_table.hpp"

#include <algorithm>
#include <sstream>

#include "plugins/consec/consec_importer.hpp"
#include "plugins/ipseccmd/ipseccmd_importer.hpp"
#include "plugins/netdiag/netdiag_importer.hpp"
#include "plugins/netsh/netsh_importer.hpp"
#include "plugins/registry/registry_importer.hpp"

namespace winipsec {

const std::vector<FormatEntry>& format_table() {
    static const std::vector<FormatEntry> table = {
        {"netsh", "", "netsh ipsec static commands: batch files, netsh -f scripts, echo-generated scripts",
         netsh_importer()},
        {"ipseccmd", "ipsecpol", "ipseccmd.exe (XP/2003) and ipsecpol.exe (2000) command lines", ipseccmd_importer()},
        {"registry", "reg ipsec",
         "the policy store from the registry: regedit .reg exports, reg.exe add lines, .ipsec/regf hives",
         registry_importer()},
        {"netdiag", "listing showall",
         "listings of the policy in force: netdiag /test:ipsec /debug, netsh ipsec static show all",
         netdiag_importer()},
        {"consec", "advfirewall",
         "Windows Firewall connection security rules: netsh advfirewall consec add rule, consec show rule output",
         consec_importer()},
    };
    return table;
}

const FormatEntry* find_format(std::string_view name) {
    for (const auto& entry : format_table()) {
        if (entry.name == name) return &entry;
        std::istringstream aliases{std::string(entry.aliases)};
        for (std::string alias; aliases >> alias;)
            if (alias == name) return &entry;
    }
    return nullptr;
}

// Every importer scans what it is shown, so a 100 000-filter script was read
// five times over just to learn its format. The head of a file says what it
// is (a header, the first commands); 256 KiB holds every corpus sample whole.
constexpr std::size_t detection_window = 256 * 1024;

DecodedText head_of(const DecodedText& text) {
    DecodedText head;
    head.path = text.path;
    head.encoding = text.encoding;
    const auto end = text.utf8.rfind('\n', detection_window);
    head.utf8 = text.utf8.substr(0, end == std::string::npos ? detection_window : end + 1);
    head.raw_bytes = text.raw_bytes.substr(0, std::min(text.raw_bytes.size(), detection_window));
    return head;
}

const FormatEntry* detect_format(const DecodedText& full) {
    const bool large = full.utf8.size() > detection_window || full.raw_bytes.size() > detection_window;
    const DecodedText head = large ? head_of(full) : DecodedText{};
    const DecodedText& text = large ? head : full;
    const FormatEntry* best = nullptr;
    int best_score = 0;
    for (const auto& entry : format_table()) {
        const int score = entry.importer.recognise(text);
        if (score > best_score) {
            best_score = score;
            best = &entry;
        }
        // 100 is certainty (importer.hpp) and no importer says more, so no
        // later entry can win: the other recognisers need not read the text.
        if (best_score >= 100) break;
    }
    return best;
}

}  // namespace winipsec
