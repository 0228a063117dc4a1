#pragma once
// The plan pipeline (spec §9.1): select the policy, expand and resolve every
// filter of its active rules into directional rules, add the exemptions,
// order, and report what a Linux translation changes or cannot express.
#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

// `store` must outlive the plan (rules point back into it).
Plan build_plan(const PolicyStore& store, const PlanOptions& options, Diagnostics& diagnostics);

}  // namespace winipsec::plan
