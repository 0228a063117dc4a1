#pragma once
// The records of a decoded ipsecFilter blob as model filters (spec
// windows-ipsec.md §3.3, §8.2, §8.3).
#include <vector>

#include "model/filter.hpp"
#include "plugins/registry/blob_filter.hpp"
#include "plugins/registry/blob_site.hpp"

namespace winipsec::registry {

std::vector<Filter> to_filters(const FilterListBlob& blob, const BlobSite& site);

}  // namespace winipsec::registry
