#pragma once
// The plan pipeline (spec §9.1): select the policy, expand and resolve every
// filter of its active rules into directional rules, add the exemptions,
// order, and report what a Linux translation changes or cannot express.
#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

// `store` must outlive the plan (rules point back into it).
Plan build_plan(const PolicyStore& store, const PlanOptions& options, Diagnostics& diagnostics);

// The records `filter` contributes under `rule` (of `policy`, with `list` and
// `action`), in the order build_plan adds them and before ordering: what a
// quick reload (plan/filter_edit.hpp) compares with the plan. They point at
// `filter`.
std::vector<PlanRule> filter_records(const PolicyStore& store, const Policy& policy, const Rule& rule,
                                     const FilterList& list, const FilterAction& action, const Filter& filter,
                                     const PlanOptions& options, Diagnostics& diagnostics);

}  // namespace winipsec::plan
