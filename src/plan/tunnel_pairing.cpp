#include "plan/tunnel_pairing.hpp"

#include <algorithm>

namespace winipsec::plan {

namespace {

Selector mirror(const Selector& s) {
    return {s.destination, s.source, s.protocol, s.destination_port, s.source_port};
}

Direction opposite(Direction d) {
    return d == Direction::Inbound ? Direction::Outbound : Direction::Inbound;
}

}  // namespace

TunnelPairing::TunnelPairing(const Plan& plan) : plan_(plan) {
    for (const auto& r : plan.rules)
        if (r.tunnel_endpoint && applies(r)) by_selector_.try_emplace({r.direction, r.selector}, &r);
    for (const auto& r : plan.rules) {
        if (!r.tunnel_endpoint || !applies(r) || r.direction != Direction::Inbound) continue;
        if (const PlanRule* p = partner(r); p && p->rule && r.rule && p->rule != r.rule)
            partner_rules_.try_emplace(r.rule, p->rule);
    }
}

bool TunnelPairing::is_local(const IpAddress& address) const {
    return std::find(plan_.me.begin(), plan_.me.end(), address) != plan_.me.end();
}

Direction TunnelPairing::tunnel_direction(const PlanRule& r) const {
    const bool inbound = is_local(*r.tunnel_endpoint) != r.is_mirror;
    return inbound ? Direction::Inbound : Direction::Outbound;
}

bool TunnelPairing::applies(const PlanRule& r) const {
    return !r.tunnel_endpoint || r.direction == tunnel_direction(r);
}

const PlanRule* TunnelPairing::partner(const PlanRule& r) const {
    const auto it = by_selector_.find({opposite(r.direction), mirror(r.selector)});
    if (it == by_selector_.end()) return nullptr;
    // Only a partner whose endpoint is the OTHER end completes the pair; the
    // mirror copy of a mirrored tunnel filter names the same gateway.
    const bool mine_local = is_local(*r.tunnel_endpoint);
    const bool theirs_local = is_local(*it->second->tunnel_endpoint);
    return mine_local != theirs_local ? it->second : nullptr;
}

TunnelEnds TunnelPairing::ends(const PlanRule& r) const {
    TunnelEnds ends;
    if (!r.tunnel_endpoint) return ends;
    const PlanRule* p = partner(r);
    if (is_local(*r.tunnel_endpoint)) {
        ends.local = r.tunnel_endpoint;
        if (p) ends.remote = p->tunnel_endpoint;
    } else {
        ends.remote = r.tunnel_endpoint;
        if (p) ends.local = p->tunnel_endpoint;
    }
    return ends;
}

const Rule* TunnelPairing::partner_of(const Rule* inbound_rule) const {
    const auto it = partner_rules_.find(inbound_rule);
    return it == partner_rules_.end() ? nullptr : it->second;
}

}  // namespace winipsec::plan
