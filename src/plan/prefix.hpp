#pragma once
// An address prefix, the unit every kernel selector is made of.
#include <string>
#include <vector>

#include "model/ip_address.hpp"

namespace winipsec::plan {

struct Prefix {
    IpAddress address;  // network address (host bits zero)
    int length = 0;

    static Prefix any(IpFamily family) { return {IpAddress::any(family), 0}; }
    static Prefix host(const IpAddress& a) { return {a, a.bit_width()}; }
    static Prefix of(const IpAddress& a, int length) { return {a.masked(length), length}; }

    IpFamily family() const { return address.family; }
    bool is_any() const { return length == 0; }
    bool contains(const IpAddress& a) const;
    bool contains(const Prefix& other) const;
    bool overlaps(const Prefix& other) const { return contains(other) || other.contains(*this); }
    std::string to_string() const;  // "10.1.0.0/16", "192.0.2.1" for hosts, "0.0.0.0/0"

    auto operator<=>(const Prefix&) const = default;
};

// The fewest prefixes that cover first..last exactly (Vista+ address ranges).
std::vector<Prefix> range_to_prefixes(const IpAddress& first, const IpAddress& last);

}  // namespace winipsec::plan
