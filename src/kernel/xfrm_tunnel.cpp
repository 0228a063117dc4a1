#include "kernel/xfrm_tunnel.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "kernel/xfrm_plan.hpp"

namespace winipsec::kernel {

using plan::Direction;
using plan::PlanRule;

namespace {

plan::Selector mirror(const plan::Selector& s) {
    return {s.destination, s.source, s.protocol, s.destination_port, s.source_port};
}

Direction opposite(Direction d) {
    return d == Direction::Inbound ? Direction::Outbound : Direction::Inbound;
}

}  // namespace

TunnelPairing::TunnelPairing(const plan::Plan& plan) : plan_(plan) {
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

// Reqids: 0x01000000 | 24 bits of an FNV-1a hash of the lower-cased policy
// and rule names (Windows names compare case-insensitively). charon numbers
// its own reqids from 1 upwards, so this range stays clear of them. Rules
// are visited in name order, so a collision is resolved the same way on
// every run regardless of where the rules sit in the plan. The two rules of
// one tunnel share the outbound rule's reqid: one CHILD_SA (one reqid) serves
// both directions, and an inbound template whose reqid differs from the SA's
// never matches (xfrm_state_ok).
std::map<const Rule*, std::uint32_t> xfrm_reqids(const plan::Plan& plan) {
    struct Named {
        std::string key;
        const Rule* rule;
    };
    std::vector<Named> rules;
    std::set<const Rule*> seen;
    for (const auto& r : plan.rules) {
        if (!r.rule || !seen.insert(r.rule).second) continue;
        std::string key = (r.policy ? r.policy->name : std::string()) + '\0' + r.rule->name;
        for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        rules.push_back({std::move(key), r.rule});
    }
    std::stable_sort(rules.begin(), rules.end(), [](const Named& a, const Named& b) { return a.key < b.key; });

    std::map<const Rule*, std::uint32_t> reqids;
    std::set<std::uint32_t> used;
    for (const auto& [key, rule] : rules) {
        std::uint32_t h = 2166136261u;
        for (unsigned char c : key) h = (h ^ c) * 16777619u;
        std::uint32_t low = h & 0x00FFFFFF;
        while (used.contains(0x01000000u | low)) low = (low + 1) & 0x00FFFFFF;
        used.insert(0x01000000u | low);
        reqids[rule] = 0x01000000u | low;
    }
    const TunnelPairing tunnels(plan);
    for (auto& [rule, reqid] : reqids)
        if (const Rule* outbound = tunnels.partner_of(rule)) reqid = reqids.at(outbound);
    return reqids;
}

}  // namespace winipsec::kernel
