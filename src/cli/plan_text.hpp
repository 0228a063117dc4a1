#pragma once
// `translate --target plan`: the ordered directional rules, one per line,
// as the back ends will receive them.
#include <string>

#include "plan/plan.hpp"

namespace winipsec::cli {

std::string render_plan_text(const plan::Plan& plan);

}  // namespace winipsec::cli
