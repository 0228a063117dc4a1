#include "model/filter_address.hpp"

#include <fmt/format.h>

namespace winipsec {

FilterAddress FilterAddress::specific(IpAddress a, int prefix) {
    FilterAddress f;
    f.kind = AddressKind::Specific;
    f.address = a;
    f.prefix_length = prefix;
    return f;
}

const char* to_string(ServerKind kind) {
    switch (kind) {
        case ServerKind::Dns: return "DNS";
        case ServerKind::Wins: return "WINS";
        case ServerKind::Dhcp: return "DHCP";
        case ServerKind::Gateway: return "GATEWAY";
    }
    return "?";
}

std::string FilterAddress::to_string() const {
    switch (kind) {
        case AddressKind::Me: return "me";
        case AddressKind::Any: return "any";
        case AddressKind::Specific:
            if (prefix_length == address.bit_width()) return address.to_string();
            return fmt::format("{}/{}", address.to_string(), prefix_length);
        case AddressKind::Range: return fmt::format("{}-{}", address.to_string(), range_last.to_string());
        case AddressKind::DnsName:
            if (mask_given && prefix_length != 32) return fmt::format("{}/{}", dns_name, prefix_length);
            return dns_name;
        case AddressKind::Server: return winipsec::to_string(server);
    }
    return "?";
}

}  // namespace winipsec
