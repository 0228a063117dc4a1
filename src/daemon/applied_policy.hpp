#pragma once
// What the last reload applied, kept whole (store, plan, kernel state and the
// texts they came from) so that the next reload can compare with it instead
// of serialising both, and a quick reload can edit it in place.
#include <memory>
#include <vector>

#include "daemon/policy_sources.hpp"
#include "kernel/kernel_state.hpp"
#include "model/policy.hpp"
#include "plan/plan.hpp"

namespace winipsec::daemon {

struct AppliedPolicy {
    std::shared_ptr<PolicyStore> store;  // the plan points into it
    plan::Plan plan;
    kernel::KernelState kernel;
    std::vector<SourceText> texts;  // the static sources, in reading order
    bool has_dynamic_policy = false;
};

}  // namespace winipsec::daemon
