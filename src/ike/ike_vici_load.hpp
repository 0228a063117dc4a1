#pragma once
// Makes charon hold exactly the IKE configuration of a plan: every
// connection and key winipsec loaded earlier (name prefix "winipsec-") that
// the plan no longer has is unloaded; the rest are (re)loaded. charon keeps
// unchanged children and their SAs on a re-load (spec linux-targets.md §1.8).
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "ike/ike_config.hpp"
#include "ike/vici_error.hpp"
#include "ike/vici_message.hpp"
#include "ike/vici_session.hpp"

namespace winipsec::ike {

struct IkeLoadReport {
    std::size_t connections_loaded = 0;
    std::size_t connections_unloaded = 0;
    std::size_t keys_loaded = 0;
    std::size_t keys_unloaded = 0;
};

// The load-conn body of one connection (swanctl.conf keys; lists as lists).
ViciSection vici_connection(const IkeConnection& connection);

std::expected<IkeLoadReport, ViciError> load_ike_config(ViciSession& session, const IkeConfig& config);
// Unloads every connection and key winipsec loaded (flush).
std::expected<IkeLoadReport, ViciError> unload_ike_config(ViciSession& session);

}  // namespace winipsec::ike
