#pragma once
// A filter record and the filter list that holds it (spec §1: one ipsecFilter
// object is a LIST; the filters are records inside it).
#include <cstdint>
#include <string>
#include <vector>

#include "model/filter_address.hpp"
#include "model/source_location.hpp"

namespace winipsec {

namespace protocol {
inline constexpr std::uint8_t any = 0;
inline constexpr std::uint8_t icmp = 1;
inline constexpr std::uint8_t tcp = 6;
inline constexpr std::uint8_t udp = 17;
inline constexpr std::uint8_t raw = 255;
}  // namespace protocol

struct Filter {
    FilterAddress source;
    FilterAddress destination;
    std::uint8_t protocol = protocol::any;  // IP protocol number; 0 = any
    std::uint16_t source_port = 0;          // 0 = any
    std::uint16_t destination_port = 0;     // 0 = any
    bool mirrored = true;                   // netsh default [I] §4.4
    std::string description;
    SourceLocation where;
};

struct FilterList {
    std::string name;
    std::string description;
    std::string guid;  // "{...}" when the input carried one
    std::vector<Filter> filters;
    SourceLocation where;
};

// "TCP", "UDP", "ICMP", "RAW", "ANY" or the number.
std::string protocol_name(std::uint8_t protocol);

}  // namespace winipsec
