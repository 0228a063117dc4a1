#pragma once
// Exemption bypass policies for build_xfrm_policies (internal to xfrm_plan.cpp).
#include <vector>

#include "kernel/xfrm_policy.hpp"
#include "plan/plan.hpp"

namespace winipsec::kernel {

// `allow` policies without templates at priorities xfrm_priority_first.., one
// per exemption selector that overlaps a negotiate rule among `outbound`
// (for `out`) / `inbound` (for `in`). Indexes are left to the caller.
std::vector<XfrmPolicy> xfrm_exemption_policies(const plan::Plan& plan,
                                                const std::vector<const plan::PlanRule*>& outbound,
                                                const std::vector<const plan::PlanRule*>& inbound);

}  // namespace winipsec::kernel
