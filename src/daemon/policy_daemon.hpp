#pragma once
// What winipsecd holds and does, without the event loop around it: boot
// (last-known-good or fail-closed), reload (read the sources, plan,
// validate, skip what did not change, load charon, apply the kernel state
// atomically, persist the static part), follow charon and `me`, and report
// its status. A reload that fails anywhere leaves the running state exactly
// as it was and records why (file:line:column) for `winipsec status`.
#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/applied_policy.hpp"
#include "daemon/charon_link.hpp"
#include "daemon/daemon_config.hpp"
#include "daemon/policy_sources.hpp"
#include "daemon/policy_translation.hpp"
#include "kernel/nft_batch.hpp"
#include "ike/ike_config.hpp"
#include "model/ip_address.hpp"

namespace winipsec::daemon {

enum class ReloadCause { Start, FileChange, Signal, Control, Poll, AddressChange, Check };
const char* to_string(ReloadCause cause);

struct ReloadRecord {
    ReloadCause cause = ReloadCause::Start;
    std::string at;                   // UTC
    std::string result;               // "applied", "unchanged", "failed"
    std::string message;              // one line
    std::vector<std::string> errors;  // file:line:col: error: CODE: message
    std::size_t warnings = 0;
    double read_ms = 0, plan_ms = 0, apply_ms = 0, persist_ms = 0, total_ms = 0;
    // Kernel objects touched: XFRM is reconciled policy by policy; nft gets
    // the set elements that differ when nothing else in the table changed,
    // and the whole table in one batch otherwise.
    bool nft_replaced = false;
    std::size_t nft_elements = 0, nft_rules = 0;
    std::size_t nft_elements_added = 0, nft_elements_removed = 0;
    bool quick = false;        // edited filter lines only (daemon/quick_reload.hpp)
    std::string full_because;  // why a file change was not a quick reload
    std::size_t xfrm_added = 0, xfrm_updated = 0, xfrm_removed = 0, xfrm_unchanged = 0;
    bool ike_loaded = false;
    nlohmann::json to_json() const;
};

class PolicyDaemon {
public:
    explicit PolicyDaemon(DaemonConfig config);

    const DaemonConfig& config() const { return config_; }
    PolicySources& sources() { return sources_; }

    // Before anything else: puts the last-known-good state (or, with
    // boot: fail-closed and none usable, the drop-all table) in place.
    // Returns the STATUS= line.
    std::string boot();
    // `forced`: apply even when nothing changed (an administrator's reload
    // also repairs state someone else removed).
    const ReloadRecord& reload(ReloadCause cause, const std::vector<std::string>& reread_dynamic, bool forced);
    // --check: reads every source (dynamic ones too) and plans, applies
    // nothing. The findings, or why the sources could not be read.
    std::expected<Diagnostics, Error> check() const;
    // After a quick reload, a full re-plan checks it and refreshes the
    // warnings; due a moment later, so that a burst of edits is checked once.
    bool check_due() const;
    void check_quick_reloads();
    // Writes last-known-good if a quick reload left it behind (before stopping).
    void persist_pending();
    // Follows charon: reconnects and reloads its configuration after a restart.
    void follow_charon();
    bool wants_charon() const;
    // The host's addresses differ from those `me` stands for now.
    bool me_changed() const;
    std::chrono::seconds poll_interval() const;
    // One line for STATUS= and logs.
    std::string summary() const;
    nlohmann::json status() const;

private:
    struct Applied {
        std::string kernel_json;  // fingerprint of what the kernel holds
        std::string ike_json;     // with secrets; never printed
        std::string lkg_json;     // what the last-known-good file holds now
        ike::IkeConfig ike;
        std::vector<IpAddress> me;
        std::string policy, policy_where;
        std::size_t rules = 0, classes = 0, nft_elements = 0, xfrm_policies = 0;
        std::uint32_t poll_minutes = 180;
        std::string origin;  // "sources", "last-known-good", "fail-closed", "" (nothing yet)
        std::string since;
    };

    std::vector<IpAddress> me_for_plan() const;
    plan::PlanOptions plan_options() const;
    translation::IkeStackOptions ike_options() const;
    void fail(ReloadRecord& r, std::string message);
    // The quick reload (daemon/quick_reload.hpp); false: a full one is needed
    // (r.full_because says why).
    bool try_quick_reload(ReloadRecord& r, std::chrono::steady_clock::time_point t0);
    void persist(const kernel::KernelState& kernel, const std::string& ike_json, std::size_t rules,
                 const std::vector<std::string>& static_sources, ReloadRecord& r);

    DaemonConfig config_;
    PolicySources sources_;
    CharonLink charon_;
    Applied applied_;
    std::optional<AppliedPolicy> live_;  // what the sources gave, as applied
    std::optional<kernel::NftConnection> nft_connection_;  // kept open for quick reloads
    std::optional<std::chrono::steady_clock::time_point> check_at_;
    bool lkg_pending_ = false;  // a quick reload applied what last-known-good does not hold yet
    ReloadRecord last_;
    std::optional<ReloadRecord> last_failure_;
    std::string boot_result_;
    std::string started_at_;
    std::size_t reloads_ = 0, failures_ = 0, charon_reloads_ = 0;
    std::string charon_result_;
};

}  // namespace winipsec::daemon
