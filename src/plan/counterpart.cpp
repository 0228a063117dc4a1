#include "plan/counterpart.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/order.hpp"

namespace winipsec::plan {
Plan counterpart_plan(Plan windows_side, const std::vector<IpAddress>& local, TieBreak tie_break,
                      Diagnostics& diagnostics) {
    Plan plan = std::move(windows_side);
    const std::vector<IpAddress> windows_host = plan.me;
    const auto is_one_of = [](const std::vector<IpAddress>& set, const IpAddress& a) {
        return std::find(set.begin(), set.end(), a) != set.end();
    };
    const auto reaches_us = [&](const PlanRule& r) {
        // A tunnel between the Windows host and us: its filters name the
        // subnets behind the two gateways, which need not hold any address of
        // ours; the endpoint says the rule is about us.
        if (r.tunnel_endpoint && (is_one_of(local, *r.tunnel_endpoint) || is_one_of(windows_host, *r.tunnel_endpoint)))
            return true;
        // Our end is the source of what we send and the destination of what
        // we receive.
        const Prefix& ours = r.direction == Direction::Outbound ? r.selector.source : r.selector.destination;
        return std::any_of(local.begin(), local.end(), [&](const IpAddress& a) { return ours.contains(a); });
    };
    std::size_t dropped = 0;
    std::vector<PlanRule> kept;
    for (PlanRule r : plan.rules) {
        // A packet keeps its addresses on the wire: what the Windows host
        // sends to us we receive, so only the direction turns round.
        r.direction = r.direction == Direction::Inbound ? Direction::Outbound : Direction::Inbound;
        if (!reaches_us(r)) {
            ++dropped;
            continue;
        }
        kept.push_back(std::move(r));
    }
    if (dropped)
        diagnostics.note("N-PLAN-COUNTERPART-UNRELATED", plan.policy ? plan.policy->where : SourceLocation{},
                         fmt::format("counterpart mode: {} directional rule(s) of the Windows host never reach this "
                                     "host's addresses and are left out",
                                     dropped));
    plan.rules = std::move(kept);
    plan.me = local;
    // Weights do not depend on direction, so the order stays Windows' own;
    // ranks and shape classes are renumbered for the rules kept.
    Diagnostics reorder;
    order_rules(plan, tie_break, reorder);
    return plan;
}

}  // namespace winipsec::plan
