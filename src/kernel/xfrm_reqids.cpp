#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "kernel/xfrm_plan.hpp"
#include "plan/tunnel_pairing.hpp"

namespace winipsec::kernel {

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
    const plan::TunnelPairing tunnels(plan);
    for (auto& [rule, reqid] : reqids)
        if (const Rule* outbound = tunnels.partner_of(rule)) reqid = reqids.at(outbound);
    return reqids;
}

}  // namespace winipsec::kernel
