#pragma once
// `translate --target listing`: the plan's directional filters in the layout
// of `netdiag /test:ipsec /debug` (spec §7.1), so an admin can lay it beside
// the Windows host's own output; one block per directional filter, in the
// order they are consulted, each with the Windows source location.
#include <string>

#include "plan/plan.hpp"

namespace winipsec::cli {

std::string render_netdiag_listing(const plan::Plan& plan);

}  // namespace winipsec::cli
