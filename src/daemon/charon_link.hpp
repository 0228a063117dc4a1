#pragma once
// The daemon's connection to charon. charon may start after winipsecd (it
// does at boot), be restarted, or crash; every time its VICI socket answers
// again, the connections and keys of the applied policy are loaded again, so
// negotiate rules work without anyone running `winipsec apply`.
#include <chrono>
#include <expected>
#include <optional>
#include <string>

#include "ike/ike_config.hpp"
#include "ike/ike_vici_load.hpp"
#include "ike/vici_session.hpp"

namespace winipsec::daemon {

class CharonLink {
public:
    explicit CharonLink(std::string uri);

    const std::string& uri() const { return uri_; }
    bool connected() const { return session_.has_value(); }
    // Checks the connection (a closed socket means charon went away) and,
    // when there is none, tries to open one. True when a new connection was
    // made: the caller then loads its configuration.
    bool refresh();
    // Makes charon hold `config`; the connection is dropped on failure.
    std::expected<ike::IkeLoadReport, ike::ViciError> load(const ike::IkeConfig& config);
    std::string last_error() const { return last_error_; }

private:
    std::string uri_;
    std::optional<ike::ViciSession> session_;
    std::string last_error_;
};

}  // namespace winipsec::daemon
