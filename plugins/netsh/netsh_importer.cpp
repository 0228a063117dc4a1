#include "plugins/netsh/netsh_importer.hpp"

#include <algorithm>

#include "import/batch_script.hpp"
#include "import/netsh_lexer.hpp"
#include "plugins/netsh/netsh_line_edits.hpp"
#include "plugins/netsh/netsh_script.hpp"

namespace winipsec {
namespace {

bool is_comment(std::string_view line) {
    std::string head;
    for (std::size_t i = 0; i < line.size() && head.size() < 4; ++i)
        head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))));
    return head.starts_with("rem") || head.starts_with("@rem") || head.starts_with("::") || head.starts_with("#");
}

class NetshImporter final : public Importer {
public:
    std::string_view name() const override { return "netsh"; }

    // The share of command lines that are netsh ipsec commands: any such line
    // makes it likely (50), a file of nothing else makes it certain (100).
    // Commented-out netsh lines alone give a weak hint (10). netsh advfirewall
    // consec lines alone score 20: no importer reads them yet, and this one
    // says so (E-NETSH-CONSEC-UNSUPPORTED) instead of "unknown format".
    int recognise(const DecodedText& text) const override {
        int netsh = 0, other = 0, commented = 0, consec = 0;
        std::string_view rest = text.utf8;
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            std::string_view line = rest.substr(0, nl);
            rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
            while (!line.empty() && netsh::is_blank(line.front())) line.remove_prefix(1);
            if (line.empty()) continue;
            const bool ipsec = netsh::looks_like_netsh_ipsec(line);
            if (!ipsec && netsh::looks_like_consec(line)) ++consec;
            if (is_comment(line))
                commented += ipsec ? 1 : 0;
            else
                ++(ipsec ? netsh : other);
        }
        if (netsh == 0) return consec > 0 ? 20 : commented > 0 ? 10 : 0;
        return std::min(100, 50 + 50 * netsh / (netsh + other));
    }

    void import(const DecodedText& text, const ImportOptions& options, PolicyStore& store,
                Diagnostics& diagnostics) const override {
        const BatchScript script = read_batch_script(text, BatchOptions{options.defines}, diagnostics);
        netsh::run_script(script, text.path, store, diagnostics);
    }

    bool line_stands_alone(std::string_view line) const override { return netsh::filter_line_stands_alone(line); }
    bool only_adds(const DecodedText& text, const Diagnostics& found) const override {
        return netsh::script_only_adds(text.utf8) && found.count("W-NETSH-DUPLICATE-FILTER") == 0;
    }
};

}  // namespace

const Importer& netsh_importer() {
    static const NetshImporter instance;
    return instance;
}

}  // namespace winipsec
