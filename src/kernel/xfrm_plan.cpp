// build_xfrm_policies(): which plan rules the XFRM layer must see, and how.
//
// What goes into XFRM (spec windows-ipsec.md §9.2, §9.3; linux-targets.md §4.4):
//  - every negotiate rule: action allow + templates;
//  - a permit/block rule only when it is consulted before an overlapping rule
//    that is already in XFRM (negotiate, or transitively another permit/block
//    that is): locally generated packets meet XFRM at route lookup, BEFORE the
//    nft output hook, so a block inside a negotiate region must be an XFRM
//    block (or the packet triggers an ACQUIRE), and a permit must be an XFRM
//    bypass. Every other permit/block is left to nftables: coarse XFRM
//    policies are scanned linearly per packet, so XFRM stays small;
//  - the exemptions (spec §8.8: IKE, and per NoDefaultExempt Kerberos, RSVP,
//    multicast/broadcast) where they overlap a negotiate rule, above every
//    rule, because Windows never hands that traffic to its filters.
// Directions: outbound -> `out`; inbound -> `in` (local delivery) and, for
// tunnel rules, also `fwd` (a gateway forwards what it decrypted).
#include "kernel/xfrm_plan.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "kernel/xfrm_exemptions.hpp"
#include "plan/tunnel_pairing.hpp"
#include "model/filter.hpp"

namespace winipsec::kernel {
namespace {

using plan::Direction;
using plan::PlanRule;

bool is_negotiate(const PlanRule& r) {
    return r.verdict.action == ActionKind::Negotiate;
}

// XFRM selectors compare ports for every protocol (ICMP type/code sit in the
// port fields of the flow), Windows only for TCP and UDP (spec §8.2). So
// ports are dropped for other protocols, and "any protocol + port" becomes a
// TCP and a UDP selector; the other protocols it would match on Windows are
// not covered (reported).
std::vector<XfrmSelector> selectors_for(const plan::Selector& s) {
    if (!s.has_ports()) return {XfrmSelector::make(s.source, s.destination, s.protocol)};
    if (s.protocol == protocol::tcp || s.protocol == protocol::udp)
        return {XfrmSelector::make(s.source, s.destination, s.protocol, s.source_port, s.destination_port)};
    if (s.protocol != protocol::any) return {XfrmSelector::make(s.source, s.destination, s.protocol)};
    return {XfrmSelector::make(s.source, s.destination, protocol::tcp, s.source_port, s.destination_port),
            XfrmSelector::make(s.source, s.destination, protocol::udp, s.source_port, s.destination_port)};
}

// Templates of a negotiate rule from the first quick-mode offer (the one
// Windows proposes first; IKE negotiates the rest). AH+ESP is a bundle:
// AH outer, ESP inner. The kernel applies templates in array order on output
// (template 0 innermost; xfrm_bundle_create) and checks the secpath from the
// last template on input, so the array is {ESP, AH}. In tunnel mode only the
// innermost template is a tunnel; the next one protects the new outer header
// in transport mode (as strongSwan's kernel-netlink orders ESP, AH).
std::vector<XfrmTemplate> templates_for(const PlanRule& r, XfrmDir dir, const plan::TunnelEnds& ends,
                                        std::uint32_t reqid) {
    bool esp = true, ah = false;
    if (r.action && !r.action->offers.empty()) {
        const auto& offer = r.action->offers.front();
        esp = offer.esp.has_value();
        ah = offer.ah.has_value();
        if (!esp && !ah) esp = true;  // an offer that protects nothing is rejected by lint; ESP is Windows' default
    }
    const bool tunnel = r.tunnel_endpoint.has_value();
    // Which clear packets Windows lets through (spec §8.5, §9.3):
    //  - inpass: clear inbound accepted -> inbound `level use`;
    //  - soft: after an unanswered IKE the host talks in clear both ways, so
    //    outbound `level use` AND inbound `level use` (a required inbound
    //    template would drop the clear replies of the peer we fell back to;
    //    Windows accepts them from peers with a "soft SA", XFRM cannot tell
    //    those peers apart, so every peer's clear packets are accepted).
    //    Linux sends in clear at once while the ACQUIRE runs instead of
    //    holding the packet for 3 s / 500 ms (xfrm_tmpl_resolve_one skips
    //    an optional template without a state).
    bool optional = false;
    if (dir == XfrmDir::Out) {
        // Kernel 6.x refuses optional tunnel templates in outbound policies
        // ("Mode in optional template not allowed in outbound policy",
        // validate_tmpl; measured here on 6.18): reported by report_rule.
        optional = r.verdict.fallback_to_clear && !tunnel;
    } else {
        optional = r.verdict.inbound_passthrough || r.verdict.fallback_to_clear;
    }
    XfrmTemplate base;
    base.family = r.selector.source.family();
    base.reqid = reqid;
    base.optional = optional;
    if (tunnel) {
        base.mode = XfrmMode::Tunnel;
        base.family = r.tunnel_endpoint->family;
        // Outbound: from us to the remote gateway; inbound/fwd: the SA came
        // from the remote gateway to us. Unknown ends stay zero = any.
        if (dir == XfrmDir::Out) {
            base.source = ends.local;
            base.destination = ends.remote;
        } else {
            base.source = ends.remote;
            base.destination = ends.local;
        }
    }
    std::vector<XfrmTemplate> out;
    if (esp) {
        XfrmTemplate t = base;
        t.proto = XfrmProto::Esp;
        out.push_back(t);
    }
    if (ah) {
        XfrmTemplate t = base;
        t.proto = XfrmProto::Ah;
        if (!out.empty()) t.mode = XfrmMode::Transport;  // outer header already exists
        out.push_back(t);
    }
    return out;
}

XfrmAction action_of(const PlanRule& r) {
    return r.verdict.action == ActionKind::Block ? XfrmAction::Block : XfrmAction::Allow;
}

// The plan rules one XFRM direction must see, in rank order: the seeds and,
// walking from the last rank to the first, every permit/block rule that
// overlaps a rule already chosen and ranked after it.
std::vector<const PlanRule*> closure(const std::vector<const PlanRule*>& candidates, bool (*seed)(const PlanRule&)) {
    std::vector<const PlanRule*> chosen;  // descending rank
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
        const PlanRule& r = **it;
        bool take = seed(r);
        if (!take && !is_negotiate(r))
            take = std::any_of(chosen.begin(), chosen.end(),
                               [&](const PlanRule* c) { return r.selector.overlaps(c->selector); });
        if (take) chosen.push_back(&r);
    }
    std::reverse(chosen.begin(), chosen.end());
    return chosen;
}

// Once per Windows rule: what its XFRM policies do differently.
void report_rule(const PlanRule& r, const plan::TunnelPairing& tunnels, Diagnostics& diagnostics) {
    const SourceLocation where = r.rule->where;
    if (r.connection_type != ConnectionType::All)
        diagnostics.warning("W-XFRM-CONNECTION-TYPE", where,
                            fmt::format("rule '{}' applies to {} interfaces only; its XFRM policies apply on every "
                                        "interface (winipsec does not bind them to a device)",
                                        r.rule->name, to_string(r.connection_type)));
    if (r.tunnel_endpoint && r.verdict.fallback_to_clear && r.direction == Direction::Outbound)
        diagnostics.warning("W-XFRM-SOFT-TUNNEL", where,
                            fmt::format("rule '{}': fall back to clear (soft) cannot apply to outbound tunnel "
                                        "traffic: the kernel refuses optional tunnel templates in outbound policies; "
                                        "tunnelled traffic waits for IKE",
                                        r.rule->name));
    if (r.tunnel_endpoint && !tunnels.ends(r).remote)
        diagnostics.note("N-XFRM-TUNNEL-ANY-PEER", where,
                         fmt::format("tunnel rule '{}' ends here ({}) and no outbound tunnel rule mirrors its "
                                     "filters, so its tunnel is accepted from any peer gateway",
                                     r.rule->name, r.tunnel_endpoint->to_string()));
}

bool seed_negotiate(const PlanRule& r) {
    return is_negotiate(r);
}
bool seed_tunnel_negotiate(const PlanRule& r) {
    return is_negotiate(r) && r.tunnel_endpoint.has_value();
}

}  // namespace

std::vector<XfrmPolicy> build_xfrm_policies(const plan::Plan& plan) {
    Diagnostics ignored;
    return build_xfrm_policies(plan, ignored);
}

std::vector<XfrmPolicy> build_xfrm_policies(const plan::Plan& plan, Diagnostics& diagnostics) {
    const plan::TunnelPairing tunnels(plan);
    const auto reqids = xfrm_reqids(plan);

    std::vector<const PlanRule*> outbound, inbound, forwarded;
    for (const auto& r : plan.rules) {
        if (!tunnels.applies(r)) continue;  // the other direction of a tunnel filter: see plan/tunnel_pairing.hpp
        if (r.direction == Direction::Outbound) {
            outbound.push_back(&r);
        } else {
            inbound.push_back(&r);
            // Transport filters do not apply to traffic the host routes
            // (spec §8.1); only tunnel rules see forwarded packets.
            if (r.tunnel_endpoint) forwarded.push_back(&r);
        }
    }
    const std::pair<XfrmDir, std::vector<const PlanRule*>> chosen[] = {
        {XfrmDir::Out, closure(outbound, seed_negotiate)},
        {XfrmDir::In, closure(inbound, seed_negotiate)},
        {XfrmDir::Fwd, closure(forwarded, seed_tunnel_negotiate)},
    };

    // Priority = band + rank keeps Windows' order and stays put when rules
    // elsewhere in the plan change; only a plan too large for the band is
    // numbered densely instead (order kept, numbers shift).
    const int last_rank = plan.rules.empty() ? 0 : plan.rules.back().rank;
    const bool dense = xfrm_priority_rules + static_cast<std::uint32_t>(last_rank) > xfrm_priority_last;
    std::map<int, std::uint32_t> dense_priority;
    if (dense) {
        std::set<int> ranks;
        for (const auto& [dir, rules] : chosen)
            for (const auto* r : rules) ranks.insert(r->rank);
        std::uint32_t next = xfrm_priority_rules;
        for (int rank : ranks) dense_priority[rank] = std::min(next++, xfrm_priority_last);
        diagnostics.note("N-XFRM-DENSE-PRIORITY", {},
                         fmt::format("the plan has {} rules, more than XFRM priorities {}..{} hold; the {} rules "
                                     "XFRM sees are numbered densely",
                                     plan.rules.size(), xfrm_priority_rules, xfrm_priority_last, ranks.size()));
    }

    std::vector<XfrmPolicy> policies = xfrm_exemption_policies(plan, chosen[0].second, chosen[1].second);
    std::set<XfrmIdentity> seen;
    for (const auto& p : policies) seen.insert(p.identity());
    bool warned_any_protocol_ports = false;
    std::set<const Rule*> reported;
    for (const auto& [dir, rules] : chosen) {
        for (const PlanRule* r : rules) {
            if (is_negotiate(*r) && r->rule && reported.insert(r->rule).second) report_rule(*r, tunnels, diagnostics);
            const auto selectors = selectors_for(r->selector);
            if (selectors.size() > 1 && !warned_any_protocol_ports && is_negotiate(*r)) {
                warned_any_protocol_ports = true;
                diagnostics.warning("W-XFRM-PORTS-ANY-PROTOCOL", r->filter ? r->filter->where : SourceLocation{},
                                    fmt::format("{}: a port with protocol ANY becomes a TCP and a UDP XFRM policy; "
                                                "other protocols to these addresses are not negotiated",
                                                r->origin()));
            }
            const auto reqid = r->rule && reqids.contains(r->rule) ? reqids.at(r->rule) : 0;
            for (const auto& selector : selectors) {
                XfrmPolicy p;
                p.selector = selector;
                p.dir = dir;
                p.action = action_of(*r);
                p.priority =
                    dense ? dense_priority.at(r->rank) : xfrm_priority_rules + static_cast<std::uint32_t>(r->rank);
                if (is_negotiate(*r)) p.templates = templates_for(*r, dir, tunnels.ends(*r), reqid);
                p.origin = r->origin();
                // One identity holds one policy (spec §4.2): the first, i.e.
                // the one Windows consults, wins; later ones can never match.
                if (seen.insert(p.identity()).second) policies.push_back(std::move(p));
            }
        }
    }
    std::uint32_t serial = 0;
    for (auto& p : policies) p.index = xfrm_index(++serial, p.dir);
    return policies;
}

}  // namespace winipsec::kernel
