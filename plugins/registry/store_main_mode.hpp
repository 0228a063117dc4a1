#pragma once
// A decoded ipsecISAKMPPolicy as the policy's main-mode settings (spec
// windows-ipsec.md §3.4, §8.9).
#include "model/crypto_suite.hpp"
#include "plugins/registry/blob_isakmp.hpp"
#include "plugins/registry/blob_site.hpp"

namespace winipsec::registry {

MainModeSettings to_main_mode(const IsakmpBlob& blob, const BlobSite& site);

}  // namespace winipsec::registry
