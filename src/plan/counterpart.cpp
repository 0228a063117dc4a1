#include "plan/counterpart.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/order.hpp"

namespace winipsec::plan {
Plan counterpart_plan(Plan windows_side, const std::vector<IpAddress>& local, TieBreak tie_break,
                      Diagnostics& diagnostics) {
    Plan plan = std::move(windows_side);
    const auto reaches_us = [&](const PlanRule& r) {
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
