#include "plugins/registry/store_filter_list.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"

namespace winipsec::registry {
namespace {

IpAddress to_address(const Ipv4Bytes& b) {
    IpAddress a;
    std::copy(b.begin(), b.end(), a.bytes.begin());
    return a;
}

std::optional<ServerKind> server_kind(unsigned number) {
    switch (number) {
        case 1: return ServerKind::Dns;
        case 2: return ServerKind::Wins;
        case 3: return ServerKind::Dhcp;
        case 4: return ServerKind::Gateway;
        default: return std::nullopt;
    }
}

// One end of a V1 record (§3.3 table): 0/0 any, 0/255.255.255.255 me,
// otherwise address and mask. nullopt when the mask is not contiguous.
std::optional<FilterAddress> to_filter_address(const Ipv4Bytes& address, const Ipv4Bytes& mask, std::string_view end,
                                               std::size_t offset, const BlobSite& site) {
    const IpAddress a = to_address(address), m = to_address(mask);
    const bool zero = a.v4_value() == 0;
    if (zero && m.v4_value() == 0) return FilterAddress::any();
    if (zero && m.v4_value() == 0xFFFFFFFFu) return FilterAddress::me();
    const auto prefix = m.mask_prefix_length();
    if (!prefix) {
        site.unsupported(offset, fmt::format("the {} mask {} is not contiguous; winipsec can only match prefixes, so "
                                             "this filter is left out",
                                             end, m.to_string()));
        return std::nullopt;
    }
    FilterAddress out = FilterAddress::specific(a, *prefix);
    out.mask_given = true;
    if (a.has_host_bits(*prefix)) {
        out.address = a.masked(*prefix);
        site.diagnostics.warning("W-FILTER-HOST-BITS", site.at(offset),
                                 fmt::format("{} {} byte offset {}: the {} address {} has bits outside its mask {}; "
                                             "the filter matches {}/{} (the mask is applied)",
                                             site.object(), site.value.name, offset, end, a.to_string(), m.to_string(),
                                             out.address.to_string(), *prefix));
    }
    return out;
}

std::optional<Filter> to_filter(const FilterRecord& r, const BlobSite& site) {
    const std::size_t addresses = r.fixed_offset + 4;
    auto source = to_filter_address(r.source, r.source_mask, "source", addresses, site);
    auto destination = to_filter_address(r.destination, r.destination_mask, "destination", addresses + 8, site);
    if (!source || !destination) return std::nullopt;
    const std::size_t protocol_offset = r.fixed_offset + 24;
    if (r.protocol > 255) {
        site.unsupported(protocol_offset,
                         fmt::format("protocol {} is no IP protocol number; this filter is left out", r.protocol));
        return std::nullopt;
    }
    const std::size_t flags_offset = protocol_offset + 8;
    if (r.special != 0) {
        const bool destination_side = (r.special & 0x80) != 0;
        const auto kind = server_kind(r.special & 0x7F);
        if (!kind) {
            site.not_understood(
                flags_offset + 1,
                fmt::format("special-server flag 0x{:02x} is not one of 1-4 / 0x81-0x84; ignored", r.special));
        } else {
            FilterAddress server = FilterAddress::of_kind(AddressKind::Server);
            server.server = *kind;
            (destination_side ? destination : source) = server;
        }
    }
    if (r.mirrored > 1)
        site.not_understood(r.fixed_offset, fmt::format("Mirrored is {}, not 0 or 1; taken as yes", r.mirrored));
    if (r.is_tunnel != 0 || r.tunnel != Ipv4Bytes{})
        site.not_understood(r.is_tunnel != 0 ? flags_offset : r.fixed_offset + 20,
                            "a tunnel address on the filter itself (Windows keeps tunnels on the rule); ignored");
    if (r.options != 0)
        site.not_understood(flags_offset + 2, fmt::format("filter options 0x{:04x}; ignored", r.options));
    Filter f;
    f.source = *source;
    f.destination = *destination;
    f.protocol = static_cast<std::uint8_t>(r.protocol);
    f.source_port = r.source_port;
    f.destination_port = r.destination_port;
    f.mirrored = r.mirrored != 0;
    f.description = r.description;
    f.where = site.at(r.offset);
    return f;
}

// --- Vista+ V2 records ([V] layout, never seen in real data) ---

std::optional<FilterAddress> to_filter_address(const AddressV2& a, std::string_view end, std::size_t offset,
                                               const BlobSite& site) {
    const bool v6 = a.version == 2;
    if (a.version != 1 && a.version != 2) {
        site.not_understood(offset, fmt::format("{} IP version {} (1 = IPv4, 2 = IPv6 expected)", end, a.version));
        return std::nullopt;
    }
    auto address = [v6](const std::array<std::uint8_t, 16>& b) {
        IpAddress ip;
        ip.family = v6 ? IpFamily::V6 : IpFamily::V4;
        std::copy(b.begin(), b.begin() + (v6 ? 16 : 4), ip.bytes.begin());
        return ip;
    };
    switch (a.type) {
        case 0: return FilterAddress::any();
        case 8: return FilterAddress::me();
        case 1: return FilterAddress::specific(address(a.address), v6 ? 128 : 32);
        case 2: {
            FilterAddress r = FilterAddress::of_kind(AddressKind::Range);
            r.address = address(a.address);
            r.range_last = address(a.secondary);
            return r;
        }
        case 4: {
            const auto prefix = v6 ? std::optional<int>(a.secondary[0]) : address(a.secondary).mask_prefix_length();
            if (!prefix || *prefix > (v6 ? 128 : 32)) return std::nullopt;
            return FilterAddress::specific(address(a.address).masked(*prefix), *prefix);
        }
        case 0x10:
        case 0x20:
        case 0x40:
        case 0x80: {
            FilterAddress s = FilterAddress::of_kind(AddressKind::Server);
            s.server = a.type == 0x10   ? ServerKind::Dns
                       : a.type == 0x20 ? ServerKind::Wins
                       : a.type == 0x40 ? ServerKind::Dhcp
                                        : ServerKind::Gateway;
            return s;
        }
        default:
            site.not_understood(offset, fmt::format("{} address type 0x{:x} is unknown", end, a.type));
            return std::nullopt;
    }
}

std::optional<std::uint16_t> single_port(const PortV2& p) {
    if (p.type == 0) return std::uint16_t{0};
    if (p.type == 1) return p.port;
    return std::nullopt;  // a range: the model has single ports only
}

std::optional<Filter> to_filter(const FilterRecordV2& r, const BlobSite& site) {
    // findings point at the record: its strings make field offsets vary
    auto source = to_filter_address(r.source, "source", r.offset, site);
    auto destination = to_filter_address(r.destination, "destination", r.offset, site);
    const auto sport = single_port(r.source_port), dport = single_port(r.destination_port);
    if (!source || !destination || !sport || !dport || r.protocol > 255) return std::nullopt;
    Filter f;
    f.source = *source;
    f.destination = *destination;
    f.protocol = static_cast<std::uint8_t>(r.protocol);
    f.source_port = *sport;
    f.destination_port = *dport;
    f.mirrored = r.mirror_flags != 0;
    f.description = r.description;
    f.where = site.at(r.offset);
    return f;
}

// The MMC's IP filter dialog has "from this port" and "to this port": a
// source and a destination port, not a range. Corpus #39 has pairs 1/52,
// 54/66, 69/79, 82/442, 444/1000 (everything below 1000 but DNS, DHCP, HTTP
// and HTTPS, if they were ranges); as stored, each matches one port pair only.
void warn_port_pairs(const std::vector<Filter>& filters, const BlobSite& site) {
    std::vector<const Filter*> pairs;
    for (const auto& f : filters)
        if (f.source_port != 0 && f.destination_port != 0 && f.source_port < f.destination_port) pairs.push_back(&f);
    if (pairs.size() < 2) return;
    std::string list;
    for (std::size_t i = 0; i < pairs.size() && i < 6; ++i)
        list += fmt::format("{}{}/{}", i ? ", " : "", pairs[i]->source_port, pairs[i]->destination_port);
    if (pairs.size() > 6) list += ", ...";
    site.diagnostics.warning(
        code::port_pairs, pairs.front()->where,
        fmt::format("{}: {} filters have a source port below their destination port ({}). They read like port "
                    "ranges, but a filter has one source and one destination port: each matches only packets from "
                    "the first port to the second. They are imported as stored; if ranges were meant, Windows never "
                    "enforced them",
                    site.object(), pairs.size(), list));
}

}  // namespace

std::vector<Filter> to_filters(const FilterListBlob& blob, const BlobSite& site) {
    std::vector<Filter> out;
    std::vector<Guid> ids;  // of each entry of `out`
    for (const auto& record : blob.filters)
        if (auto f = to_filter(record, site)) {
            out.push_back(std::move(*f));
            ids.push_back(record.id);
        }
    if (blob.has_v2) {
        site.diagnostics.warning(code::unconfirmed_layout, site.at(blob.v2_offset),
                                 fmt::format("{}: a Vista+ filter section (V2) is present; its layout is taken from "
                                             "[MS-GPIPSEC] and no real sample confirmed it (spec §3.3): check these "
                                             "filters against the Windows UI",
                                             site.object()));
        for (const auto& v2 : blob.v2_filters) {
            const bool replaces = (v2.flags & 0x8) != 0;
            const bool has_v1 = std::find(ids.begin(), ids.end(), v2.id) != ids.end();
            if (!replaces && has_v1) continue;  // the V1 record says the same
            auto f = to_filter(v2, site);
            if (!f) {
                site.not_understood(
                    v2.offset, fmt::format("V2 filter {} cannot be represented (a port range or an "
                                           "unknown address form); {}",
                                           v2.id.to_string(), has_v1 ? "its V1 records are used" : "it is left out"));
                continue;
            }
            for (std::size_t i = ids.size(); i-- > 0;)
                if (ids[i] == v2.id) {
                    out.erase(out.begin() + static_cast<std::ptrdiff_t>(i));
                    ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(i));
                }
            out.push_back(std::move(*f));
            ids.push_back(v2.id);
        }
    }
    warn_port_pairs(out, site);
    return out;
}

}  // namespace winipsec::registry
