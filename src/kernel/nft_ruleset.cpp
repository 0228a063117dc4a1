// Field and value vocabulary shared by the script renderer, the netlink
// encoder and the read-back.
#include "kernel/nft_ruleset.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace winipsec::kernel {
namespace {

IpAddress address_of(IpFamily family, std::span<const std::uint8_t> bytes) {
    IpAddress a = IpAddress::any(family);
    for (std::size_t i = 0; i < bytes.size() && i < a.bytes.size(); ++i) a.bytes[i] = bytes[i];
    return a;
}

std::uint32_t number_of(std::span<const std::uint8_t> bytes) {
    std::uint32_t value = 0;
    for (const auto b : bytes) value = (value << 8) | b;
    return value;
}

}  // namespace

NftValueType value_type(NftKeyField field) {
    switch (field) {
        case NftKeyField::Ip4Source:
        case NftKeyField::Ip4Destination: return NftValueType::Ipv4Address;
        case NftKeyField::Ip6Source:
        case NftKeyField::Ip6Destination: return NftValueType::Ipv6Address;
        case NftKeyField::Protocol: return NftValueType::Protocol;
        case NftKeyField::SourcePort:
        case NftKeyField::DestinationPort: return NftValueType::Port;
    }
    return NftValueType::Port;
}

std::size_t value_length(NftValueType type) {
    switch (type) {
        case NftValueType::Ipv4Address: return 4;
        case NftValueType::Ipv6Address: return 16;
        case NftValueType::Protocol: return 1;
        case NftValueType::Port: return 2;
    }
    return 0;
}

// nft's datatype numbers (enum datatypes in nftables' datatype.h); the kernel
// stores them opaquely and `nft list` needs them to print elements.
std::uint32_t nft_datatype_id(NftValueType type) {
    switch (type) {
        case NftValueType::Ipv4Address: return 7;
        case NftValueType::Ipv6Address: return 8;
        case NftValueType::Protocol: return 12;
        case NftValueType::Port: return 13;
    }
    return 0;
}

const char* nft_datatype_name(NftValueType type) {
    switch (type) {
        case NftValueType::Ipv4Address: return "ipv4_addr";
        case NftValueType::Ipv6Address: return "ipv6_addr";
        case NftValueType::Protocol: return "inet_proto";
        case NftValueType::Port: return "inet_service";
    }
    return "?";
}

const char* nft_expression(NftKeyField field) {
    switch (field) {
        case NftKeyField::Ip4Source: return "ip saddr";
        case NftKeyField::Ip4Destination: return "ip daddr";
        case NftKeyField::Ip6Source: return "ip6 saddr";
        case NftKeyField::Ip6Destination: return "ip6 daddr";
        case NftKeyField::Protocol: return "meta l4proto";
        case NftKeyField::SourcePort: return "th sport";
        case NftKeyField::DestinationPort: return "th dport";
    }
    return "?";
}

const char* to_string(NftHook hook) {
    switch (hook) {
        case NftHook::Prerouting: return "prerouting";
        case NftHook::Input: return "input";
        case NftHook::Output: return "output";
    }
    return "?";
}

bool NftKeyPart::masked() const {
    const auto type = value_type(field);
    const bool address = type == NftValueType::Ipv4Address || type == NftValueType::Ipv6Address;
    return address && prefix_length < static_cast<int>(8 * value_length(type));
}

std::string format_value(NftValueType type, std::span<const std::uint8_t> value, int prefix_length) {
    switch (type) {
        case NftValueType::Ipv4Address:
        case NftValueType::Ipv6Address: {
            const IpAddress a = address_of(type == NftValueType::Ipv4Address ? IpFamily::V4 : IpFamily::V6, value);
            if (prefix_length < 0 || prefix_length >= a.bit_width()) return a.to_string();
            return fmt::format("{}/{}", a.to_string(), prefix_length);
        }
        case NftValueType::Protocol:
        case NftValueType::Port:
            // Numbers, not names: `nft -f` resolves protocol names through
            // /etc/protocols, which minimal systems lack.
            return std::to_string(number_of(value));
    }
    return "?";
}

NftPackedKey packed_key(std::span<const NftKeyPart> key, const NftSetElement& element) {
    NftPackedKey packed{};
    std::size_t at = 0;
    for (std::size_t f = 0; f < key.size(); ++f) {
        const auto length = value_length(value_type(key[f].field));
        std::copy_n(element.key[f].begin(), length, packed.begin() + static_cast<std::ptrdiff_t>(at));
        at += length;
    }
    return packed;
}

std::string sanitize_comment(std::string_view text, std::size_t max) {
    std::string out;
    out.reserve(std::min(text.size(), max));
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += c == '"' ? '\'' : (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (out.size() <= max) return out;
    // Cut on a UTF-8 character boundary and mark the cut.
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
    return out + "...";
}

}  // namespace winipsec::kernel
