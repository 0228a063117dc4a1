#pragma once
// Typed subscriptions to the charon events winipsec follows (README
// "ike-updown", "child-updown", "log"). Handlers run while the session waits
// (inside any request or dispatch_events()); unsubscribe with
// session.unsubscribe(vici_event_*).
//
// In charon 5.9.8 the `log` event carries every debug message of levels 0-4
// (6.x only 0-1), so a log subscription on a busy daemon is chatty.
#include <expected>
#include <functional>
#include <string_view>
#include <vector>

#include "ike/vici_commands.hpp"
#include "ike/vici_sa.hpp"
#include "ike/vici_session.hpp"

namespace winipsec::ike {

inline constexpr std::string_view vici_event_ike_updown = "ike-updown";
inline constexpr std::string_view vici_event_child_updown = "child-updown";
inline constexpr std::string_view vici_event_log = "log";

// An SA going up or down. For child-updown each IKE SA carries only the
// affected CHILD_SA; for ike-updown no children.
struct ViciSaUpdown {
    bool up = false;
    std::vector<ViciIkeSa> sas;
};

ViciSaUpdown parse_sa_updown(const ViciMessage& event);

std::expected<void, ViciError> subscribe_ike_updown(ViciSession& session,
                                                    std::function<void(const ViciSaUpdown&)> handler);
std::expected<void, ViciError> subscribe_child_updown(ViciSession& session,
                                                      std::function<void(const ViciSaUpdown&)> handler);
std::expected<void, ViciError> subscribe_log(ViciSession& session, std::function<void(const ViciLogLine&)> handler);

}  // namespace winipsec::ike
