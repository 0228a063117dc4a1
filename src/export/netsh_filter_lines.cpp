// Filter lists and their filters: `add filterlist`, then one `add filter` per
// filter record (spec windows-ipsec.md §4.2, value grammars §4.3).
#include <cctype>
#include <expected>
#include <unordered_map>

#include <fmt/format.h>

#include "export/netsh_sections.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {
namespace {

bool takes_ports(std::uint8_t p) {
    return p == protocol::tcp || p == protocol::udp;
}

void append_key(std::string& key, const FilterAddress& a) {
    key += static_cast<char>('0' + static_cast<int>(a.kind));
    switch (a.kind) {
        case AddressKind::Me:
        case AddressKind::Any: break;
        case AddressKind::Server: key += static_cast<char>('0' + static_cast<int>(a.server)); break;
        case AddressKind::Specific: key += fmt::format("{}/{}", a.address.to_string(), a.prefix_length); break;
        case AddressKind::Range: key += fmt::format("{}-{}", a.address.to_string(), a.range_last.to_string()); break;
        case AddressKind::DnsName:
            for (const char c : a.dns_name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            key += fmt::format("/{}", a.prefix_length);
            break;
    }
    key += '|';
}

// Equal for two filters that select the same packets, descriptions aside:
// netsh (as winipsec reads it) keeps only the first of such filters, so the
// script writes only that one. A key, not a pairwise scan: block lists hold
// 100 000 filters.
std::string packets_key(const Filter& f) {
    std::string key;
    append_key(key, f.source);
    append_key(key, f.destination);
    key += fmt::format("{}|{}|{}|{}", f.protocol, f.source_port, f.destination_port, f.mirrored ? 'm' : 'o');
    return key;
}

std::optional<IpFamily> family_of(const FilterAddress& a) {
    if (a.kind == AddressKind::Specific || a.kind == AddressKind::Range) return a.address.family;
    return std::nullopt;
}

std::string describe(const Filter& f) {
    return fmt::format("{} -> {} {}{}", f.source.to_string(), f.destination.to_string(), protocol_name(f.protocol),
                       f.mirrored ? " mirrored" : "");
}

// `add filter` for one record, or why netsh cannot take it.
std::expected<CommandLine, std::string> filter_line(const Filter& f, const std::string& list, ScriptContext& c) {
    const bool src_server = f.source.kind == AddressKind::Server;
    const bool dst_server = f.destination.kind == AddressKind::Server;
    if (src_server && dst_server)
        return std::unexpected("both sides are server keywords; netsh takes one, with 'me' on the other side");
    const auto fs = family_of(f.source), fd = family_of(f.destination);
    if (fs && fd && *fs != *fd) return std::unexpected("one side is IPv4 and the other IPv6");
    if (!takes_ports(f.protocol) && (f.source_port != 0 || f.destination_port != 0))
        return std::unexpected(fmt::format("it gives a port with protocol {}; netsh takes ports with TCP and UDP only",
                                           protocol_name(f.protocol)));
    FilterAddress source = f.source, destination = f.destination;
    // A server keyword on one side makes netsh use `me` on the other (spec §4.3, E13).
    for (auto [server, other] : {std::pair{src_server, &destination}, std::pair{dst_server, &source}}) {
        if (!server || other->kind == AddressKind::Me) continue;
        c.body.changed(f.where, fmt::format("filter {} of list '{}' is written with 'me' instead of {}: next to a "
                                            "server keyword netsh always uses this computer's addresses",
                                            describe(f), list, other->to_string()));
        *other = FilterAddress::me();
    }
    const auto src = address_text(source);
    if (!src) return std::unexpected(src.error());
    const auto dst = address_text(destination);
    if (!dst) return std::unexpected(dst.error());

    CommandLine line("ipsec static add filter");
    line.quoted("filterlist", list).word("srcaddr", *src);
    if (const auto mask = mask_text(source)) line.word("srcmask", *mask);
    line.word("dstaddr", *dst);
    if (const auto mask = mask_text(destination)) line.word("dstmask", *mask);
    line.word("protocol", protocol_name(f.protocol));
    if (takes_ports(f.protocol)) line.number("srcport", f.source_port).number("dstport", f.destination_port);
    line.flag("mirrored", f.mirrored);
    if (!f.description.empty())
        line.quoted("description",
                    c.body.text(f.description, f.where, fmt::format("the description of filter {}", describe(f))));
    return line;
}

void write_list(const FilterList& l, ScriptContext& c) {
    const std::string& name = c.names.filter_lists.of(&l);
    CommandLine add("ipsec static add filterlist");
    add.quoted("name", name);
    if (!l.description.empty())
        add.quoted("description", c.body.text(l.description, l.where, fmt::format("the description of '{}'", name)));
    c.body.command(add, l.where);
    std::unordered_map<std::string, const Filter*> written;
    for (const Filter& f : l.filters) {
        const auto [it, added] = written.try_emplace(packets_key(f), &f);
        if (!added) {
            const Filter* first = it->second;
            c.body.comment(
                fmt::format("filter {} repeats an earlier filter of this list; not written again", describe(f)));
            c.body.diagnostics.note("N-EXPORT-DUPLICATE-FILTER", f.where,
                                    fmt::format("filter {} of list '{}' selects the same packets as the one from {}; "
                                                "it adds nothing and is written once",
                                                describe(f), name, first->where.to_string()));
            continue;
        }
        auto line = filter_line(f, name, c);
        if (line)
            c.body.command(*line, f.where);
        else
            c.body.not_written(f.where, fmt::format("filter {} of list '{}'", describe(f), name), line.error());
    }
}

}  // namespace

void write_filter_lists(ScriptContext& c) {
    bool first = true;
    for (const auto& l : c.store.filter_lists) {
        if (c.dynamic_lists.contains(&l)) continue;
        if (first) c.body.section("filter lists and their filters");
        first = false;
        write_list(l, c);
    }
}

}  // namespace winipsec::netsh_script
