#include "plan/exemptions.hpp"

namespace winipsec::plan {

int default_no_default_exempt(WindowsVersion version) {
    switch (version) {
        case WindowsVersion::Windows2000:
        case WindowsVersion::Xp: return 0;
        case WindowsVersion::XpSp2: return 1;
        case WindowsVersion::Server2003:
        case WindowsVersion::VistaOrLater: return 3;
    }
    return 3;
}

std::vector<Exemption> exemptions_for(int value) {
    std::vector<Exemption> out;
    out.push_back({ExemptionKind::Ike, "IKE (UDP 500, 4500) is always exempt"});
    if (value == 0 || value == 1)
        out.push_back({ExemptionKind::BroadcastMulticast,
                       "broadcast and multicast are exempt (NoDefaultExempt " + std::to_string(value) + ")"});
    if (value == 0 || value == 2) {
        out.push_back(
            {ExemptionKind::Rsvp, "RSVP (IP protocol 46) is exempt (NoDefaultExempt " + std::to_string(value) + ")"});
        out.push_back({ExemptionKind::Kerberos,
                       "Kerberos (TCP/UDP port 88, source or destination) is exempt "
                       "(NoDefaultExempt " +
                           std::to_string(value) + ")"});
    }
    return out;
}

std::optional<WindowsVersion> parse_windows_version(std::string_view t) {
    if (t == "2000") return WindowsVersion::Windows2000;
    if (t == "xp") return WindowsVersion::Xp;
    if (t == "xpsp2") return WindowsVersion::XpSp2;
    if (t == "2003") return WindowsVersion::Server2003;
    if (t == "vista+" || t == "vista") return WindowsVersion::VistaOrLater;
    return std::nullopt;
}

const char* to_string(ExemptionKind kind) {
    switch (kind) {
        case ExemptionKind::Ike: return "ike";
        case ExemptionKind::BroadcastMulticast: return "broadcast-multicast";
        case ExemptionKind::Rsvp: return "rsvp";
        case ExemptionKind::Kerberos: return "kerberos";
    }
    return "?";
}

}  // namespace winipsec::plan
