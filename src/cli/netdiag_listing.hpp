#pragma once
// `translate --target listing`: the effective filters in the layout of
// `netdiag /test:ipsec /debug` (spec §7.1), so an admin can lay it beside the
// Windows host's own output. One block per directional filter, each with the
// Windows source location it came from.
#include <string>
#include <vector>

#include "model/policy.hpp"
#include "plan/directional_filter.hpp"

namespace winipsec::cli {

std::string render_netdiag_listing(const Policy& policy, const std::vector<plan::DirectionalFilter>& filters);
std::string render_no_policy_listing();

}  // namespace winipsec::cli
