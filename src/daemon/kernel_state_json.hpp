#pragma once
// The kernel state and IKE configuration as JSON, both ways: what the
// last-known-good file holds (last_known_good.hpp) and the daemon's
// fingerprint of what is applied. Linux vocabulary only; the Windows objects
// behind them are not needed to put the state back.
#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "ike/ike_config.hpp"
#include "kernel/kernel_state.hpp"

namespace winipsec::daemon {

nlohmann::json kernel_state_to_json(const kernel::KernelState& state);
std::expected<kernel::KernelState, std::string> kernel_state_from_json(const nlohmann::json& json);

// Includes the pre-shared keys when `with_secrets` (the file is 0600 root).
nlohmann::json ike_config_to_json(const ike::IkeConfig& config, bool with_secrets);
std::expected<ike::IkeConfig, std::string> ike_config_from_json(const nlohmann::json& json);

}  // namespace winipsec::daemon
