// What lives outside the static store: NoDefaultExempt, which netsh sets with
// `ipsec dynamic set config property=ipsecexempt` (spec windows-ipsec.md §8.8),
// and the dynamic (volatile) policies, written as `netsh ipsec dynamic add
// rule` lines (§5). A dynamic rule carries its filter and one action per
// direction itself, so each filter of a dynamic rule becomes one such line.
// Negotiating dynamic rules need quick mode policies that winipsec does not
// import from netsh (it would not read them back), so only permit and block
// rules are written.
#include <fmt/format.h>

#include "export/netsh_sections.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {
namespace {

// netsh ipsec dynamic add rule needs a main mode policy by name.
constexpr std::string_view main_mode_policy = "winipsec dynamic main mode";

bool takes_ports(std::uint8_t p) {
    return p == protocol::tcp || p == protocol::udp;
}

std::string describe(const Filter& f) {
    return fmt::format("{} -> {} {}", f.source.to_string(), f.destination.to_string(), protocol_name(f.protocol));
}

std::expected<CommandLine, std::string> dynamic_rule_line(const Filter& f, const Rule& r, ActionKind action) {
    if (f.source.kind == AddressKind::Server && f.destination.kind == AddressKind::Server)
        return std::unexpected("both sides are server keywords");
    if (!takes_ports(f.protocol) && (f.source_port != 0 || f.destination_port != 0))
        return std::unexpected(fmt::format("it gives a port with protocol {}", protocol_name(f.protocol)));
    const auto src = address_text(f.source);
    if (!src) return std::unexpected(src.error());
    const auto dst = address_text(f.destination);
    if (!dst) return std::unexpected(dst.error());
    CommandLine line("ipsec dynamic add rule");
    line.word("srcaddr", *src);
    if (const auto mask = mask_text(f.source)) line.word("srcmask", *mask);
    line.word("dstaddr", *dst);
    if (const auto mask = mask_text(f.destination)) line.word("dstmask", *mask);
    line.quoted("mmpolicy", main_mode_policy).word("protocol", protocol_name(f.protocol));
    if (takes_ports(f.protocol)) line.number("srcport", f.source_port).number("dstport", f.destination_port);
    line.flag("mirrored", f.mirrored).word("conntype", to_string(r.connection_type));
    line.word("actioninbound", to_string(action)).word("actionoutbound", to_string(action));
    if (r.tunnel_endpoint) {
        const auto tunnel = tunnel_text(*r.tunnel_endpoint);
        if (!tunnel) return std::unexpected(tunnel.error());
        line.word("tunneldstaddress", *tunnel);
    }
    return line;
}

void write_dynamic_policy(const Policy& p, ScriptContext& c) {
    for (const auto& r : p.rules) {
        if (r.default_response) continue;
        const std::string what = fmt::format("dynamic rule '{}' of '{}'", r.name, p.name);
        if (!r.active) {
            c.body.comment(what + " is inactive; not written");
            continue;
        }
        const FilterList* list = c.list_of(r);
        const FilterAction* action = c.action_of(r);
        if (!list || !action) {
            c.body.not_written(r.where, what, "its filter list or filter action does not exist");
            continue;
        }
        if (action->action == ActionKind::Negotiate) {
            c.body.not_written(r.where, what,
                               "it negotiates; winipsec writes dynamic rules that permit or block only (a negotiating "
                               "one needs a quick mode policy winipsec does not read back)");
            continue;
        }
        for (const Filter& f : list->filters) {
            auto line = dynamic_rule_line(f, r, action->action);
            if (line)
                c.body.command(*line, f.where);
            else
                c.body.not_written(f.where, fmt::format("filter {} of {}", describe(f), what), line.error());
        }
    }
}

}  // namespace

void write_dynamic(ScriptContext& c) {
    if (c.store.no_default_exempt) {
        c.body.section("traffic exempt from IPsec filtering (NoDefaultExempt, kept across restarts)");
        CommandLine line("ipsec dynamic set config");
        line.word("property", "ipsecexempt").number("value", static_cast<std::uint64_t>(*c.store.no_default_exempt));
        c.body.command(line, {});
    }
    bool first = true;
    for (const auto& p : c.store.policies) {
        if (p.origin != Origin::Dynamic) continue;
        if (first) {
            c.body.section("dynamic rules: held by the running IPsec service only, lost when it restarts");
            c.body.diagnostics.note("N-EXPORT-DYNAMIC", p.where,
                                    "dynamic policy is written as netsh ipsec dynamic rules; they have no names, so "
                                    "rule, filter list and filter action names of the dynamic policy are not kept");
            CommandLine mm("ipsec dynamic add mmpolicy");
            mm.quoted("name", main_mode_policy);
            std::string offers;
            for (const auto& o : p.main_mode.offers)
                if (const auto s = main_mode_offer_text(o))
                    offers += fmt::format("{}{}", offers.empty() ? "" : " ", *s);
            if (!offers.empty()) mm.quoted("mmsecmethods", offers);
            c.body.command(mm, p.where);
        }
        first = false;
        write_dynamic_policy(p, c);
    }
}

}  // namespace winipsec::netsh_script
