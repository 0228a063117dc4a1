#pragma once
// Risky stateless rules (issue 3 point 6): Windows filters have no
// connection state, so a mirrored permit that lets replies in also lets
// anything with the right source port in. Checks probe the ordered plan with
// sample packets, so they see exactly what Windows would do.
#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

void lint_plan(const Plan& plan, Diagnostics& diagnostics);

}  // namespace winipsec::plan
