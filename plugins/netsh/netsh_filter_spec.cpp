#include "plugins/netsh/netsh_filter_spec.hpp"

#include <cctype>

#include "plugins/netsh/netsh_spelling.hpp"
#include "plugins/netsh/netsh_values.hpp"

namespace winipsec::netsh {
namespace {

bool all_zero(const IpAddress& a) {
    return a == IpAddress::any(a.family);
}

std::string kind_words(const FilterAddress& a) {
    switch (a.kind) {
        case AddressKind::Me: return "'me'";
        case AddressKind::Any: return "'any'";
        case AddressKind::Range: return "a range";
        case AddressKind::Server: return fmt::format("the {} server keyword", to_string(a.server));
        default: return "this address";
    }
}

// One side: the address and its mask.
std::optional<FilterAddress> read_side(ValueReader& values, std::string_view addr_tag, std::string_view mask_tag,
                                       FilterUse use) {
    auto address = values.read(addr_tag, parse_address);
    if (!address) return std::nullopt;
    Diagnostics& d = values.diagnostics();
    const Token* addr_token = values.token(addr_tag);
    const Token* mask_token = values.token(mask_tag);
    const bool warn = use == FilterUse::Add;
    if (address->kind == AddressKind::DnsName && warn)
        d.warning("W-NETSH-DNS-NAME", addr_token->value_at,
                  fmt::format("'{}' is a DNS name: Windows resolved it once, when the command ran, and stored the "
                              "addresses; winipsec resolves it when it translates, which may give other addresses",
                              address->dns_name));
    if (mask_token) {
        switch (address->kind) {
            case AddressKind::Me:
            case AddressKind::Any:
            case AddressKind::Range:
            case AddressKind::Server:
                if (warn)
                    d.warning("W-NETSH-MASK-IGNORED", mask_token->value_at,
                              fmt::format("{} has no effect on {}; ignored", mask_tag, kind_words(*address)));
                return address;
            case AddressKind::DnsName: {
                const auto prefix =
                    values.read(mask_tag, [](std::string_view t) { return parse_mask(t, IpFamily::V4); });
                if (!prefix) return std::nullopt;
                address->prefix_length = *prefix;
                address->mask_given = true;
                return address;
            }
            case AddressKind::Specific: {
                const IpFamily family = address->address.family;
                const auto prefix =
                    values.read(mask_tag, [family](std::string_view t) { return parse_mask(t, family); });
                if (!prefix) return std::nullopt;
                if (address->address.has_host_bits(*prefix)) {
                    const IpAddress network = address->address.masked(*prefix);
                    if (warn)
                        d.warning("W-FILTER-HOST-BITS", addr_token->value_at,
                                  fmt::format("{} has bits outside {} {}; the filter matches {}/{} (the mask is "
                                              "applied). Write the network address to make this explicit",
                                              address->address.to_string(), mask_tag, mask_token->value,
                                              network.to_string(), *prefix));
                    address->address = network;
                }
                address->prefix_length = *prefix;
                address->mask_given = true;
                break;
            }
        }
    }
    // 0.0.0.0 with mask 0 is `any`; with a host mask it is exactly how Windows
    // stores `me` (spec §8.3, E21).
    if (address->kind == AddressKind::Specific && all_zero(address->address)) {
        if (address->prefix_length == 0) return FilterAddress::any();
        if (address->prefix_length == address->address.bit_width()) {
            if (warn)
                d.warning("W-NETSH-ZERO-ADDRESS", addr_token->value_at,
                          fmt::format("{}={} with a host mask is how Windows stores 'me'; taken as me. Write 'any' "
                                      "for every address",
                                      addr_tag, addr_token->value));
            return FilterAddress::me();
        }
    }
    return address;
}

std::optional<IpFamily> family_of(const FilterAddress& a) {
    if (a.kind == AddressKind::Specific || a.kind == AddressKind::Range) return a.address.family;
    return std::nullopt;
}

bool same_address(const FilterAddress& a, const FilterAddress& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case AddressKind::Me:
        case AddressKind::Any: return true;
        case AddressKind::Server: return a.server == b.server;
        case AddressKind::Specific: return a.address == b.address && a.prefix_length == b.prefix_length;
        case AddressKind::Range: return a.address == b.address && a.range_last == b.range_last;
        case AddressKind::DnsName: return iequals(a.dns_name, b.dns_name) && a.prefix_length == b.prefix_length;
    }
    return false;
}

// The given side of `delete filter` against a stored side. A mask the delete
// did not give matches any stored mask.
bool address_matches(const FilterAddress& stored, const FilterAddress& given) {
    if (stored.kind != given.kind) return false;
    if (given.mask_given || stored.kind != AddressKind::Specific) {
        if (stored.kind == AddressKind::DnsName && !given.mask_given) return iequals(stored.dns_name, given.dns_name);
        return same_address(stored, given);
    }
    return given.address.family == stored.address.family &&
           given.address.masked(stored.prefix_length) == stored.address;
}

bool takes_ports(std::uint8_t p) {
    return p == protocol::tcp || p == protocol::udp;
}

}  // namespace

FilterSpec read_filter_spec(ValueReader& values, FilterUse use) {
    FilterSpec spec;
    spec.source = read_side(values, "srcaddr", "srcmask", use);
    spec.destination = read_side(values, "dstaddr", "dstmask", use);
    spec.protocol = values.read("protocol", parse_protocol);
    spec.source_port = values.read("srcport", parse_port);
    spec.destination_port = values.read("dstport", parse_port);
    spec.mirrored = values.read("mirrored", parse_bool);
    return spec;
}

std::optional<Filter> make_filter(const FilterSpec& spec, ValueReader& values, const SourceLocation& where,
                                  const std::string& description) {
    if (!spec.source || !spec.destination) return std::nullopt;
    Diagnostics& d = values.diagnostics();
    Filter f;
    f.source = *spec.source;
    f.destination = *spec.destination;
    f.protocol = spec.protocol.value_or(protocol::any);
    f.source_port = spec.source_port.value_or(0);
    f.destination_port = spec.destination_port.value_or(0);
    f.mirrored = spec.mirrored.value_or(true);
    f.description = description;
    f.where = where;
    const bool src_server = f.source.kind == AddressKind::Server;
    const bool dst_server = f.destination.kind == AddressKind::Server;
    if (src_server && dst_server) {
        d.error("E-NETSH-BAD-VALUE", values.token("dstaddr")->value_at,
                "only one side of a filter may be a server keyword (DNS, WINS, DHCP, GATEWAY); the other side is me");
        return std::nullopt;
    }
    // A server type on one side forces the other side to `me` (spec §4.3, E13).
    for (const auto& [server_side, other, other_tag] :
         {std::tuple{src_server, &f.destination, "dstaddr"}, std::tuple{dst_server, &f.source, "srcaddr"}}) {
        if (!server_side || other->kind == AddressKind::Me) continue;
        d.warning("W-NETSH-SERVER-FORCES-ME", values.token(other_tag)->value_at,
                  fmt::format("{}={} is replaced by 'me': with a server keyword on the other side Windows always "
                              "uses this computer's addresses here",
                              other_tag, values.token(other_tag)->value));
        *other = FilterAddress::me();
    }
    const auto fs = family_of(f.source), fd = family_of(f.destination);
    if (fs && fd && *fs != *fd) {
        d.error("E-NETSH-BAD-VALUE", values.token("dstaddr")->value_at,
                "srcaddr and dstaddr are of different address families (IPv4 and IPv6)");
        return std::nullopt;
    }
    if (!takes_ports(f.protocol)) {
        for (const auto& [port, tag] :
             {std::pair{f.source_port, "srcport"}, std::pair{f.destination_port, "dstport"}}) {
            if (port == 0) continue;
            d.error("E-NETSH-PORT-PROTOCOL", values.token(tag)->value_at,
                    fmt::format("{}={} needs protocol=TCP or UDP (the protocol is {}); netsh rejects ports for "
                                "other protocols. Remove the port or set the protocol",
                                tag, port, protocol_name(f.protocol)));
            return std::nullopt;
        }
    }
    return f;
}

bool filter_matches(const Filter& stored, const FilterSpec& given) {
    if (given.source && !address_matches(stored.source, *given.source)) return false;
    if (given.destination && !address_matches(stored.destination, *given.destination)) return false;
    if (given.protocol && stored.protocol != *given.protocol) return false;
    if (given.source_port && stored.source_port != *given.source_port) return false;
    if (given.destination_port && stored.destination_port != *given.destination_port) return false;
    if (given.mirrored && stored.mirrored != *given.mirrored) return false;
    return true;
}

namespace {

// Keys are bytes, not text: one is made for every filter added, and a key
// short enough for the string's inline buffer (an IPv4 filter against `me`
// takes 14 bytes) costs no allocation and no address formatting.
void append_ip(std::string& key, const IpAddress& a) {
    key += static_cast<char>(a.family);
    key.append(reinterpret_cast<const char*>(a.bytes.data()), a.family == IpFamily::V4 ? 4 : 16);
}

void append_address_key(std::string& key, const FilterAddress& a) {
    key += static_cast<char>(a.kind);
    switch (a.kind) {
        case AddressKind::Me:
        case AddressKind::Any: break;
        case AddressKind::Server: key += static_cast<char>(a.server); break;
        case AddressKind::Specific:
            append_ip(key, a.address);
            key += static_cast<char>(a.prefix_length);
            break;
        case AddressKind::Range:
            append_ip(key, a.address);
            append_ip(key, a.range_last);
            break;
        case AddressKind::DnsName:
            for (char c : a.dns_name) key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            key += '\0';  // names hold no NUL: the name ends here
            key += static_cast<char>(a.prefix_length);
            break;
    }
}

}  // namespace

std::string selector_key(const Filter& f) {
    std::string key;
    append_address_key(key, f.source);
    append_address_key(key, f.destination);
    key += static_cast<char>(f.protocol);
    key += static_cast<char>(f.source_port >> 8);
    key += static_cast<char>(f.source_port & 0xFF);
    key += static_cast<char>(f.destination_port >> 8);
    key += static_cast<char>(f.destination_port & 0xFF);
    key += f.mirrored ? 'm' : 'o';
    return key;
}

bool same_selector(const Filter& a, const Filter& b) {
    return same_address(a.source, b.source) && same_address(a.destination, b.destination) && a.protocol == b.protocol &&
           a.source_port == b.source_port && a.destination_port == b.destination_port && a.mirrored == b.mirrored;
}

}  // namespace winipsec::netsh
