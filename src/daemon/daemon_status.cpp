// What `winipsec status` shows: the daemon's state as JSON for the control
// socket (control_protocol.hpp). Never a pre-shared key: the IKE
// configuration is counted, not shown.
#include <unistd.h>

#include <filesystem>

#include "daemon/policy_daemon.hpp"

namespace winipsec::daemon {

nlohmann::json ReloadRecord::to_json() const {
    return {{"cause", to_string(cause)},
            {"at", at},
            {"result", result},
            {"message", message},
            {"errors", errors},
            {"warnings", warnings},
            {"milliseconds",
             {{"read", read_ms}, {"plan", plan_ms}, {"apply", apply_ms}, {"persist", persist_ms}, {"total", total_ms}}},
            {"kernel",
             {{"nft_table_replaced", nft_replaced},
              {"nft_elements", nft_elements},
              {"nft_rules", nft_rules},
              {"xfrm_added", xfrm_added},
              {"xfrm_updated", xfrm_updated},
              {"xfrm_removed", xfrm_removed},
              {"xfrm_unchanged", xfrm_unchanged},
              {"nft_elements_added", nft_elements_added},
              {"nft_elements_removed", nft_elements_removed}}},
            {"quick", quick},
            {"full_because", full_because},
            {"ike_loaded", ike_loaded}};
}

nlohmann::json PolicyDaemon::status() const {
    nlohmann::json sources = nlohmann::json::array();
    bool domain_present = false;
    for (const auto& s : sources_.sources())
        if (s.kind == SourceKind::Static && s.role == SourceRole::Domain && std::filesystem::exists(s.path))
            domain_present = true;
    for (const auto& s : sources_.sources()) {
        std::string state;
        const bool exists = std::filesystem::exists(s.path);
        if (s.kind == SourceKind::Dynamic)
            state = sources_.holds_dynamic(s.path) ? "held in memory"
                    : exists                       ? "not applied (dynamic; changed files and reloads apply it)"
                                                   : "absent";
        else if (s.role == SourceRole::Domain)
            state = exists ? "assigned (replaces the local sources)" : "absent (not assigned)";
        else
            state = domain_present ? "replaced by the domain sources" : exists ? "in use" : "missing";
        sources.push_back({{"path", s.path},
                           {"role", to_string(s.role)},
                           {"kind", to_string(s.kind)},
                           {"format", s.format},
                           {"state", state}});
    }
    nlohmann::json me = nlohmann::json::array();
    for (const auto& a : applied_.me) me.push_back(a.to_string());
    nlohmann::json j = {
        {"pid", ::getpid()},
        {"config", config_.path},
        {"started_at", started_at_},
        {"boot",
         {{"mode", config_.boot == BootMode::FailClosed ? "fail-closed" : "last-known-good"},
          {"result", boot_result_}}},
        {"state_directory", config_.state_directory.string()},
        {"applied",
         {{"origin", applied_.origin},
          {"since", applied_.since},
          {"summary", summary()},
          {"policy", applied_.policy},
          {"policy_where", applied_.policy_where},
          {"rules", applied_.rules},
          {"shape_classes", applied_.classes},
          {"nft_elements", applied_.nft_elements},
          {"xfrm_policies", applied_.xfrm_policies},
          {"ike_connections", applied_.ike.connections.size()},
          {"me", me}}},
        {"sources", sources},
        {"poll_interval_seconds", poll_interval().count()},
        {"reloads", reloads_},
        {"failed_reloads", failures_},
        {"last_reload", last_.to_json()},
        {"charon",
         {{"uri", charon_.uri()},
          {"wanted", wants_charon()},
          {"connected", charon_.connected()},
          {"last_error", charon_.last_error()},
          {"reloads_after_reconnect", charon_reloads_},
          {"last_load", charon_result_}}},
    };
    j["error"] = last_failure_ ? last_failure_->to_json() : nlohmann::json(nullptr);
    return j;
}

}  // namespace winipsec::daemon
