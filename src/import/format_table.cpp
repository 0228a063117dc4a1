#include "import/format_table.hpp"

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

const FormatEntry* detect_format(const DecodedText& text) {
    const FormatEntry* best = nullptr;
    int best_score = 0;
    for (const auto& entry : format_table()) {
        const int score = entry.importer.recognise(text);
        if (score > best_score) {
            best_score = score;
            best = &entry;
        }
    }
    return best;
}

}  // namespace winipsec
