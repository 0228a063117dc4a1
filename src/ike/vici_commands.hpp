#pragma once
// Typed wrappers of the VICI commands winipsec uses (README "Client-initiated
// commands"; arguments and replies as in ../shared/spec/linux-targets.md 1.5).
// Each one builds the request, runs it on a session and reads the reply into
// a struct; transport trouble and success=no come back as ViciError, the
// latter with charon's errmsg in daemon_message.
//
// initiate/terminate are the exception: a refused negotiation is an outcome
// the caller wants to explain, so it comes back as a ViciControlResult with
// charon's control-log lines, and only transport trouble is an error.
#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ike/vici_error.hpp"
#include "ike/vici_message.hpp"
#include "ike/vici_sa.hpp"
#include "ike/vici_session.hpp"
#include "model/secret.hpp"

namespace winipsec::ike {

struct ViciVersion {
    std::string daemon;   // "charon"
    std::string version;  // "5.9.8"
    std::string sysname, release, machine;
};
std::expected<ViciVersion, ViciError> vici_version(ViciSession& session);

struct ViciStats {
    std::int64_t ike_sas_total = 0;
    std::int64_t ike_sas_half_open = 0;
    std::string uptime_since;
    std::vector<std::string> plugins;  // e.g. to check that kernel-libipsec is loaded
    ViciMessage raw;
};
std::expected<ViciStats, ViciError> vici_stats(ViciSession& session);

// load-conn { <name> = <connection> }. `connection` holds swanctl.conf keys,
// with list keys (local_addrs, proposals, local_ts, ...) as VICI lists: charon
// rejects a list key sent as a key/value with "unknown option".
std::expected<void, ViciError> load_conn(ViciSession& session, std::string_view name, const ViciSection& connection);
std::expected<void, ViciError> unload_conn(ViciSession& session, std::string_view name);
// Names of the connections loaded over VICI (not those from other back ends).
std::expected<std::vector<std::string>, ViciError> get_conns(ViciSession& session);

// One list-conn event entry: the connection's name and its details.
struct ViciConnection {
    std::string name;
    ViciSection details;
};
// Every connection charon knows (all back ends), optionally only `ike`.
std::expected<std::vector<ViciConnection>, ViciError> list_conns(ViciSession& session, std::string_view ike = {});

// A shared secret for load-shared. The id makes it unloadable; no owners
// means %any. The key travels only inside the load-shared request.
struct ViciSharedKey {
    std::string id{};
    std::string type = "IKE";  // IKE, EAP, XAUTH, NTLM, PPK
    Secret data{};
    std::vector<std::string> owners{};
};
std::expected<void, ViciError> load_shared(ViciSession& session, const ViciSharedKey& key);
std::expected<void, ViciError> unload_shared(ViciSession& session, std::string_view id);
// Ids of the shared secrets loaded over VICI.
std::expected<std::vector<std::string>, ViciError> get_shared(ViciSession& session);

// One control-log (or log) line.
struct ViciLogLine {
    std::string group;  // IKE, CFG, KNL, ...
    int level = 0;
    std::string ike_name;  // empty when not tied to an IKE SA
    std::string message;
};
ViciLogLine parse_log_line(const ViciMessage& event);

struct ViciControlResult {
    bool success = false;
    std::string errmsg;
    std::int64_t matches = 0, terminated = 0;  // terminate only
    std::vector<ViciLogLine> log;              // control-log lines, in order
};

struct ViciInitiateRequest {
    std::string child{};
    std::string ike{};  // optional
    // How long charon waits for the outcome; the session waits a little longer.
    std::chrono::milliseconds timeout{30'000};
    int loglevel = 1;
};
std::expected<ViciControlResult, ViciError> initiate(ViciSession& session, const ViciInitiateRequest& request);

struct ViciTerminateRequest {
    // Designated initialisers name only what they set: every member has a
    // default so that -Wmissing-field-initializers stays quiet.
    std::string child{}, ike{};                        // by config name
    std::optional<std::int64_t> child_id{}, ike_id{};  // by unique id
    bool force = false;
    std::chrono::milliseconds timeout{10'000};
    int loglevel = 1;
};
std::expected<ViciControlResult, ViciError> terminate(ViciSession& session, const ViciTerminateRequest& request);

struct ViciSaFilter {
    std::string ike{}, child{};
    std::optional<std::int64_t> ike_id{}, child_id{};
    bool noblock = false;  // do not wait for SAs busy in other threads
};
std::expected<std::vector<ViciIkeSa>, ViciError> list_sas(ViciSession& session, const ViciSaFilter& filter = {});

}  // namespace winipsec::ike
