#pragma once
// Expansion of a policy's active rules into directional filters (spec §8.2,
// §8.3 for `me`, §9.1 steps 2-4).
#include <vector>

#include "import/diagnostics.hpp"
#include "model/ip_address.hpp"
#include "plan/directional_filter.hpp"

namespace winipsec::plan {

struct ExpandOptions {
    // The host's addresses for `me`. Empty: `me` is kept as the keyword.
    std::vector<IpAddress> me;
};

// Rules that are inactive, the default response rule, and rules whose filter
// list or action is missing (reported) contribute nothing.
std::vector<DirectionalFilter> expand(const PolicyStore& store, const Policy& policy, const ExpandOptions& options,
                                      Diagnostics& diagnostics);

}  // namespace winipsec::plan
