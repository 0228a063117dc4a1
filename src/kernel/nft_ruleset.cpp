// Field and value vocabulary shared by the script renderer, the netlink
// encoder and the read-back.
#include "kernel/nft_ruleset.hpp"

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

std::string format_address_range(IpFamily family, std::span<const std::uint8_t> first_bytes,
                                 std::span<const std::uint8_t> last_bytes) {
    const IpAddress first = address_of(family, first_bytes);
    const IpAddress last = address_of(family, last_bytes);
    if (first == last) return first.to_string();
    // A prefix: first has no host bits and last is first with all host bits set.
    for (int length = first.bit_width() - 1; length >= 0; --length) {
        if (first.has_host_bits(length)) break;  // shorter lengths have even more host bits
        IpAddress top = first;
        for (int i = length; i < first.bit_width(); ++i)
            top.bytes[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
        if (top == last) return fmt::format("{}/{}", first.to_string(), length);
    }
    return fmt::format("{}-{}", first.to_string(), last.to_string());
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

std::string format_value_range(NftValueType type, std::span<const std::uint8_t> first,
                               std::span<const std::uint8_t> last) {
    switch (type) {
        case NftValueType::Ipv4Address: return format_address_range(IpFamily::V4, first, last);
        case NftValueType::Ipv6Address: return format_address_range(IpFamily::V6, first, last);
        case NftValueType::Protocol:
        case NftValueType::Port: {
            // Numbers, not names: `nft -f` resolves protocol names through
            // /etc/protocols, which minimal systems lack.
            const auto a = number_of(first), b = number_of(last);
            return a == b ? std::to_string(a) : fmt::format("{}-{}", a, b);
        }
    }
    return "?";
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
