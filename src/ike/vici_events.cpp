#include "ike/vici_events.hpp"

namespace winipsec::ike {

ViciSaUpdown parse_sa_updown(const ViciMessage& event) {
    // charon sets `up = yes` on the way up and leaves it out on the way down.
    return ViciSaUpdown{event.flag("up").value_or(false), parse_ike_sas(event)};
}

std::expected<void, ViciError> subscribe_ike_updown(ViciSession& session,
                                                    std::function<void(const ViciSaUpdown&)> handler) {
    return session.subscribe(vici_event_ike_updown, [handler = std::move(handler)](const ViciEvent& event) {
        handler(parse_sa_updown(event.message));
    });
}

std::expected<void, ViciError> subscribe_child_updown(ViciSession& session,
                                                      std::function<void(const ViciSaUpdown&)> handler) {
    return session.subscribe(vici_event_child_updown, [handler = std::move(handler)](const ViciEvent& event) {
        handler(parse_sa_updown(event.message));
    });
}

std::expected<void, ViciError> subscribe_log(ViciSession& session, std::function<void(const ViciLogLine&)> handler) {
    return session.subscribe(vici_event_log, [handler = std::move(handler)](const ViciEvent& event) {
        handler(parse_log_line(event.message));
    });
}

}  // namespace winipsec::ike
