#include "daemon/charon_link.hpp"

namespace winipsec::daemon {

CharonLink::CharonLink(std::string uri) : uri_(std::move(uri)) {}

bool CharonLink::refresh() {
    if (session_) {
        // charon sends nothing unless asked (no subscriptions), so a readable
        // socket here means it closed: dispatch_events reports that as Io.
        auto alive = session_->dispatch_events(std::chrono::milliseconds(0));
        if (alive && session_->usable()) return false;
        last_error_ = alive ? "the session became unusable" : alive.error().message;
        session_.reset();
    }
    ike::ViciSessionOptions options;
    options.timeout = std::chrono::milliseconds(5000);
    auto session = ike::ViciSession::connect(uri_, options);
    if (!session) {
        last_error_ = session.error().message;
        return false;
    }
    session_.emplace(std::move(*session));
    last_error_.clear();
    return true;
}

std::expected<ike::IkeLoadReport, ike::ViciError> CharonLink::load(const ike::IkeConfig& config) {
    if (!session_)
        return std::unexpected(ike::ViciError::make(ike::ViciError::Kind::Connect, "not connected to charon"));
    auto report = ike::load_ike_config(*session_, config);
    if (!report) {
        last_error_ = report.error().message;
        if (!session_->usable()) session_.reset();
    }
    return report;
}

}  // namespace winipsec::daemon
