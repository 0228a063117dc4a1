#pragma once
// What one directional filter matches, in kernel-neutral terms: the packet as
// it appears on the wire (spec §8.2). Protocol 0 and port 0 mean "any";
// ports only constrain TCP and UDP.
#include <cstdint>
#include <string>

#include "plan/prefix.hpp"

namespace winipsec::plan {

struct Packet {
    IpAddress source;
    IpAddress destination;
    std::uint8_t protocol = 0;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
};

struct Selector {
    Prefix source;
    Prefix destination;
    std::uint8_t protocol = 0;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;

    bool matches(const Packet& p) const;
    // Every packet this matches, `other` matches too.
    bool subset_of(const Selector& other) const;
    // Some packet matches both.
    bool overlaps(const Selector& other) const;
    bool has_ports() const { return source_port != 0 || destination_port != 0; }
    std::string to_string() const;  // "10.1.0.0/16 -> 192.0.2.1 TCP 0 -> 80"

    auto operator<=>(const Selector&) const = default;
};

}  // namespace winipsec::plan
