#pragma once
// A netdiag listing as model objects. The listing is the policy after the
// Policy Agent expanded it (spec §7.1): every filter is directional and `me`
// is already the host's address, so each printed filter becomes one
// non-mirrored filter whose direction the model can keep (see the .cpp).
#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/netdiag/netdiag_filters.hpp"

namespace winipsec::listing {

void add_netdiag_policy(const NetdiagListing& listing, const SourceLocation& file_start, PolicyStore& store,
                        Diagnostics& diagnostics);

}  // namespace winipsec::listing
