#pragma once
// The ipsecFilter blob (spec windows-ipsec.md §3.3): the filter records of one
// filter list, and the Vista+ V2 section when present.
#include <array>
#include <expected>
#include <span>

#include "plugins/registry/blob_reader.hpp"

namespace winipsec::registry {

using Ipv4Bytes = std::array<std::uint8_t, 4>;  // network order

struct FilterRecord {
    std::string source_dns;       // display only: the name the address was resolved from
    std::string destination_dns;  // display only
    std::string description;
    Guid id;
    std::uint32_t mirrored = 0;
    Ipv4Bytes source{}, source_mask{}, destination{}, destination_mask{}, tunnel{};
    std::uint32_t protocol = 0;
    std::uint16_t source_port = 0, destination_port = 0;
    std::uint8_t is_tunnel = 0;
    std::uint8_t special = 0;  // 1..4 source, 0x81..0x84 destination is the DNS/WINS/DHCP/gateway servers
    std::uint16_t options = 0;
    std::size_t offset = 0;        // of the record
    std::size_t fixed_offset = 0;  // of the record's Mirrored field
};

// Vista+ (§3.3, [V] layout, no real sample seen).
struct AddressV2 {
    std::uint32_t type = 0;     // 0 any, 1 single, 2 range, 4 subnet, 8 me, 0x10.. server kinds
    std::uint32_t version = 0;  // 1 IPv4, 2 IPv6, 3 both
    std::array<std::uint8_t, 16> address{};
    std::array<std::uint8_t, 16> secondary{};  // range end, IPv4 mask, or IPv6 prefix length in byte 0
};

struct PortV2 {
    std::uint32_t type = 0;  // 0 any, 1 single, 2 range
    std::uint16_t port = 0;
    std::uint16_t range_end = 0;
};

struct FilterRecordV2 {
    std::string description;
    Guid id;
    std::uint32_t mirror_flags = 0;
    AddressV2 source, destination;
    PortV2 source_port, destination_port;
    std::uint32_t protocol = 0;
    std::uint32_t flags = 0;  // 0x8: this record replaces the V1 records of the same id
    std::size_t offset = 0;
};

struct FilterListBlob {
    std::vector<FilterRecord> filters;
    std::vector<FilterRecordV2> v2_filters;
    bool has_v2 = false;
    std::size_t v2_offset = 0;
    std::vector<BlobFinding> findings;
};

std::expected<FilterListBlob, BlobError> decode_filter_blob(std::span<const std::uint8_t> blob);

}  // namespace winipsec::registry
