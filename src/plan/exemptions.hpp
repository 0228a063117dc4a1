#pragma once
// Traffic Windows never hands to the IPsec filters (spec §8.8 NoDefaultExempt).
#include <optional>
#include <string>
#include <vector>

#include "import/error.hpp"

namespace winipsec::plan {

enum class WindowsVersion { Windows2000, Xp, XpSp2, Server2003, VistaOrLater };

enum class ExemptionKind {
    Ike,                 // UDP 500 and 4500, always
    BroadcastMulticast,  // NoDefaultExempt 0, 1
    Rsvp,                // IP protocol 46; NoDefaultExempt 0, 2
    Kerberos,            // TCP/UDP source or destination port 88; NoDefaultExempt 0, 2
};

struct Exemption {
    ExemptionKind kind;
    std::string description;  // for explain / show
};

// The default NoDefaultExempt of each Windows version: 2000 and XP 0, XP SP2 1
// [I], Server 2003 and later 3 [V cc756041].
int default_no_default_exempt(WindowsVersion version);
std::vector<Exemption> exemptions_for(int no_default_exempt);

std::optional<WindowsVersion> parse_windows_version(std::string_view text);  // 2000|xp|xpsp2|2003|vista+
const char* to_string(ExemptionKind kind);

}  // namespace winipsec::plan
