#pragma once
// One end of a Windows filter, with its Windows meaning kept: `me` and `any`
// stay keywords, DNS names and server keywords stay unresolved. Resolving them
// is src/plan's job (spec windows-ipsec.md §8.3).
#include <string>

#include "model/ip_address.hpp"

namespace winipsec {

enum class AddressKind {
    Me,        // every local unicast address ("My IP Address", ipseccmd `0`)
    Any,       // 0.0.0.0/0 (netsh `any`, ipseccmd `*`)
    Specific,  // address + prefix (host, subnet)
    Range,     // first-last, Vista+ only
    DnsName,   // resolved when the filter was created on Windows; resolved by plan here
    Server,    // DNS / WINS / DHCP / GATEWAY servers of the host (WS2003+ "special" filters)
};

enum class ServerKind { Dns, Wins, Dhcp, Gateway };

struct FilterAddress {
    AddressKind kind = AddressKind::Any;
    IpAddress address;                    // Specific: the address; Range: first
    IpAddress range_last;                 // Range only
    int prefix_length = 32;               // Specific and DnsName: the mask as given (default host mask)
    bool mask_given = false;              // the input spelled a mask
    std::string dns_name;                 // DnsName only
    ServerKind server = ServerKind::Dns;  // Server only

    bool operator==(const FilterAddress&) const = default;

    static FilterAddress me() { return of_kind(AddressKind::Me); }
    static FilterAddress any() { return of_kind(AddressKind::Any); }
    static FilterAddress of_kind(AddressKind k) {
        FilterAddress a;
        a.kind = k;
        return a;
    }
    static FilterAddress specific(IpAddress a, int prefix);

    // Windows spelling, e.g. "me", "any", "10.1.0.0/16", "DNS", "www.example".
    std::string to_string() const;
};

const char* to_string(ServerKind kind);

}  // namespace winipsec
