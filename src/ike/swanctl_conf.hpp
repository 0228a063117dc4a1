#pragma once
// The IKE configuration as a swanctl.conf file (`translate --target swanctl`):
// what `swanctl --load-all` would need to reproduce what `apply --vici` loads.
#include <string>

#include "ike/ike_config.hpp"

namespace winipsec::ike {

// Pre-shared keys are written as ******** unless `show_secrets`.
std::string render_swanctl_conf(const IkeConfig& config, bool show_secrets);

}  // namespace winipsec::ike
