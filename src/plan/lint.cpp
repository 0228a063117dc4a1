#include "plan/lint.hpp"

#include <set>

#include <fmt/format.h>

#include "model/filter.hpp"
#include "plan/explain.hpp"

namespace winipsec::plan {
namespace {

// A concrete packet inside a selector: its network addresses, its ports or
// an ephemeral one, its protocol or UDP.
Packet sample_packet(const Selector& s, std::uint16_t any_port = 49152) {
    Packet p;
    p.source = s.source.address;
    p.destination = s.destination.address;
    p.protocol = s.protocol ? s.protocol : protocol::udp;
    p.source_port = s.source_port ? s.source_port : any_port;
    p.destination_port = s.destination_port ? s.destination_port : any_port;
    return p;
}

Packet reversed(const Packet& p) {
    return {p.destination, p.source, p.protocol, p.destination_port, p.source_port};
}

Direction opposite(Direction d) {
    return d == Direction::Inbound ? Direction::Outbound : Direction::Inbound;
}

void non_mirrored_negotiate(const Plan& plan, Diagnostics& d) {
    std::set<const Filter*> seen;
    for (const auto& r : plan.rules) {
        if (r.verdict.action != ActionKind::Negotiate || r.filter->mirrored || r.tunnel_endpoint) continue;
        if (!seen.insert(r.filter).second) continue;
        d.warning("W-MIRROR-NEGOTIATE", r.filter->where,
                  fmt::format("negotiate filter {} -> {} is not mirrored and not in a tunnel rule: only one "
                              "direction is secured and replies travel in clear (Windows requires both, cc782190)",
                              r.filter->source.to_string(), r.filter->destination.to_string()));
    }
}

// Seed case: the mirror of an outbound client filter (me -> any:53) admits
// inbound any:53 -> me:ANY; where a block would otherwise stop it, anyone
// who sends from that source port reaches every local port.
void source_port_holes(const Plan& plan, Diagnostics& d) {
    std::set<const Filter*> seen;
    for (const auto& r : plan.rules) {
        if (r.direction != Direction::Inbound || r.verdict.action != ActionKind::Permit) continue;
        if (r.selector.source_port == 0 || r.selector.destination_port != 0) continue;
        if (seen.count(r.filter)) continue;
        const Packet probe = sample_packet(r.selector, 3389);
        bool shadows_block = false;
        for (const auto& later : plan.rules)
            if (later.rank > r.rank && later.direction == Direction::Inbound &&
                later.verdict.action == ActionKind::Block && later.selector.matches(probe))
                shadows_block = true;
        if (!shadows_block) continue;
        seen.insert(r.filter);
        d.warning("W-LINT-SOURCE-PORT-HOLE", r.filter->where,
                  fmt::format("inbound {} is permitted to EVERY local port: a stateless {} filter lets any packet "
                              "with source port {} through the block (e.g. {}:{} -> {}:3389); Linux conntrack "
                              "could allow only replies, Windows cannot",
                              protocol_name(r.selector.protocol), r.filter->mirrored ? "mirrored" : "one-way",
                              r.selector.source_port, r.selector.source.to_string(), r.selector.source_port,
                              r.selector.destination.to_string()));
    }
}

// A permit inside a block whose reverse direction stays blocked: the
// connection it was meant to allow cannot complete.
void one_way_permits(const Plan& plan, Diagnostics& d) {
    std::set<const Filter*> seen;
    for (const auto& r : plan.rules) {
        if (r.verdict.action != ActionKind::Permit || !r.selector.has_ports() || r.filter->mirrored) continue;
        if (seen.count(r.filter)) continue;
        const Packet back = reversed(sample_packet(r.selector));
        const PlanRule* m = first_match(plan, back, opposite(r.direction));
        if (!m || m->verdict.action != ActionKind::Block) continue;
        seen.insert(r.filter);
        d.warning("W-LINT-ONE-WAY-PERMIT", r.filter->where,
                  fmt::format("this one-way permit is blocked on the way back by the filter at {}: replies to {} "
                              "are dropped; make it mirrored",
                              m->filter->where.to_string(), r.selector.to_string()));
    }
}

// A tunnel rule needs its partner for the other direction (spec §8.6, E12).
void asymmetric_tunnels(const Plan& plan, Diagnostics& d) {
    std::set<const Rule*> seen;
    for (const auto& r : plan.rules) {
        if (!r.tunnel_endpoint || r.is_mirror || !seen.insert(r.rule).second) continue;
        bool partner = false;
        for (const auto& o : plan.rules)
            if (o.rule != r.rule && o.tunnel_endpoint && o.selector.source == r.selector.destination &&
                o.selector.destination == r.selector.source)
                partner = true;
        if (!partner)
            d.warning("W-LINT-ASYMMETRIC-TUNNEL", r.rule->where,
                      fmt::format("tunnel rule '{}' ({}) has no partner rule for the reverse traffic {} -> {}; "
                                  "returning packets will not be accepted from the tunnel",
                                  r.rule->name, r.selector.to_string(), r.selector.destination.to_string(),
                                  r.selector.source.to_string()));
        if (r.filter->mirrored)
            d.warning("W-LINT-MIRRORED-TUNNEL", r.filter->where,
                      fmt::format("tunnel rule '{}' has a mirrored filter; Windows does not support mirrored "
                                  "filters in tunnel rules",
                                  r.rule->name));
    }
}

// E2: a block-all also cuts the host off from DNS and DHCP.
void infrastructure_cut(const Plan& plan, Diagnostics& d) {
    if (plan.me.empty()) return;
    const IpAddress me = plan.me.front();
    struct Probe {
        const char* what;
        Packet packet;
    };
    const Probe probes[] = {
        {"DNS queries (UDP to port 53)", {me, *IpAddress::parse("198.51.100.53"), protocol::udp, 49152, 53}},
        {"DHCP renewal (UDP 68 -> 67)", {me, *IpAddress::parse("198.51.100.67"), protocol::udp, 68, 67}},
    };
    for (const auto& probe : probes) {
        if (exemption_for(plan, probe.packet)) continue;
        const PlanRule* m = first_match(plan, probe.packet, Direction::Outbound);
        if (m && m->verdict.action == ActionKind::Block)
            d.warning(
                "W-LINT-BLOCKS-INFRASTRUCTURE", m->filter->where,
                fmt::format("this block also stops the host's {}; add a permit filter if it needs them", probe.what));
    }
}

}  // namespace

void lint_plan(const Plan& plan, Diagnostics& diagnostics) {
    non_mirrored_negotiate(plan, diagnostics);
    source_port_holes(plan, diagnostics);
    one_way_permits(plan, diagnostics);
    asymmetric_tunnels(plan, diagnostics);
    infrastructure_cut(plan, diagnostics);
}

}  // namespace winipsec::plan
