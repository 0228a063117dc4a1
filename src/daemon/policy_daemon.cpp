#include "daemon/policy_daemon.hpp"

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "daemon/daemon_clock.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/fail_closed.hpp"
#include "daemon/kernel_state_json.hpp"
#include "daemon/last_known_good.hpp"
#include "daemon/policy_translation.hpp"
#include "daemon/quick_reload.hpp"
#include "ike/vici_uri.hpp"
#include "kernel/kernel_state.hpp"
#include "plan/local_addresses.hpp"

namespace winipsec::daemon {

namespace {

std::string join(const std::vector<IpAddress>& addresses) {
    std::string out;
    for (const auto& a : addresses) out += fmt::format("{}{}", out.empty() ? "" : ", ", a.to_string());
    return out.empty() ? "(none)" : out;
}

std::size_t element_count(const kernel::KernelState& s) {
    std::size_t n = 0;
    for (const auto& set : s.nft.sets) n += set.elements.size();
    return n;
}

// At most this many diagnostics reach the log and the status per reload: a
// 100 000-filter policy can produce as many warnings.
constexpr std::size_t diagnostics_shown = 50;

}  // namespace

const char* to_string(ReloadCause cause) {
    switch (cause) {
        case ReloadCause::Start: return "start";
        case ReloadCause::FileChange: return "file change";
        case ReloadCause::Signal: return "SIGHUP";
        case ReloadCause::Control: return "winipsec reload";
        case ReloadCause::Poll: return "polling interval";
        case ReloadCause::AddressChange: return "address change";
        case ReloadCause::Check: return "full re-plan after a quick reload";
    }
    return "?";
}

PolicyDaemon::PolicyDaemon(DaemonConfig config)
    : config_(std::move(config)),
      sources_(config_.sources),
      charon_(config_.vici_uri.empty() ? std::string(ike::default_vici_uri) : config_.vici_uri),
      started_at_(now_utc()) {}

std::string PolicyDaemon::boot() {
    std::error_code ec;
    std::filesystem::create_directories(config_.state_directory, ec);
    ::chmod(config_.state_directory.c_str(), 0700);
    auto lkg = read_last_known_good(config_.state_directory);
    if (!lkg) log_error(fmt::format("last-known-good unusable: {}", lkg.error()));
    if (lkg && *lkg) {
        const LastKnownGood& state = **lkg;
        const auto t0 = Clock::now();
        auto applied = kernel::apply_kernel_state(state.kernel);
        if (applied) {
            applied_.kernel_json = kernel_state_to_json(state.kernel).dump();
            applied_.ike_json = ike_config_to_json(state.ike, true).dump();
            applied_.lkg_json = applied_.kernel_json + applied_.ike_json;
            applied_.ike = state.ike;
            applied_.me = state.me;
            applied_.policy = state.policy;
            applied_.rules = state.rules;
            applied_.nft_elements = element_count(state.kernel);
            applied_.xfrm_policies = state.kernel.xfrm.size();
            applied_.origin = "last-known-good";
            applied_.since = now_utc();
            boot_result_ = fmt::format(
                "last-known-good of {} applied: policy {}, {} rules, {} nft set elements, {} "
                "XFRM policies ({:.0f} ms)",
                state.written_at, state.policy.empty() ? "(none)" : "'" + state.policy + "'", state.rules,
                applied_.nft_elements, applied_.xfrm_policies, ms_since(t0));
            log_info(boot_result_);
            return boot_result_;
        }
        log_error(fmt::format("last-known-good could not be applied: {}", applied.error().message));
        boot_result_ = "last-known-good refused by the kernel: " + applied.error().message;
    } else if (lkg) {
        boot_result_ = "no last-known-good yet (first start)";
        log_info(boot_result_);
    } else {
        boot_result_ = "last-known-good unusable: " + lkg.error();
    }
    if (config_.boot == BootMode::FailClosed) {
        const kernel::KernelState closed = fail_closed_state();
        if (auto ok = kernel::apply_kernel_state(closed); ok) {
            applied_.kernel_json = kernel_state_to_json(closed).dump();
            applied_.origin = "fail-closed";
            applied_.since = now_utc();
            boot_result_ += "; fail-closed: dropping everything but loopback until a policy is applied";
            log_warning("fail-closed: dropping everything but loopback until a policy is applied");
        } else {
            boot_result_ += "; fail-closed table refused: " + ok.error().message;
            log_error(fmt::format("fail-closed table refused by the kernel: {}", ok.error().message));
        }
    }
    return boot_result_;
}

std::vector<IpAddress> PolicyDaemon::me_for_plan() const {
    if (!config_.me.empty()) return config_.me;
    auto live = plan::local_unicast_addresses();
    if (live && !live->empty()) return *live;
    // No address yet (boot, before the network is up) or none left: `me`
    // keeps standing for the addresses it stood for, instead of for nothing,
    // which would drop every filter that names `me`.
    return applied_.me;
}

plan::PlanOptions PolicyDaemon::plan_options() const {
    plan::PlanOptions o;
    o.me = me_for_plan();
    o.servers = config_.servers;
    o.resolve_from_host = config_.host_lookups;
    o.no_default_exempt = config_.no_default_exempt;
    o.windows_version = config_.windows_version;
    o.tie_break = config_.tie_break;
    o.fragments = config_.fragments;
    o.policy_name = config_.policy;
    o.include_dynamic = true;
    return o;
}

translation::IkeStackOptions PolicyDaemon::ike_options() const {
    return {config_.libipsec, config_.ca_files, config_.kerberos_fallback};
}

std::expected<Diagnostics, Error> PolicyDaemon::check() const {
    auto reading = sources_.read(sources_.dynamic_paths());
    if (!reading) return std::unexpected(reading.error());
    (void)translation::translate(reading->store, plan_options(), ike_options(), reading->diagnostics);
    return std::move(reading->diagnostics);
}

bool PolicyDaemon::me_changed() const {
    if (!config_.me.empty()) return false;
    auto live = plan::local_unicast_addresses();
    if (!live || live->empty()) return false;
    return *live != applied_.me;
}

bool PolicyDaemon::wants_charon() const {
    return !config_.vici_uri.empty() || !applied_.ike.connections.empty() || !applied_.ike.shared_keys.empty();
}

std::chrono::seconds PolicyDaemon::poll_interval() const {
    if (config_.poll_interval) return *config_.poll_interval;
    return std::chrono::minutes(applied_.poll_minutes ? applied_.poll_minutes : 180);
}

void PolicyDaemon::fail(ReloadRecord& r, std::string message) {
    r.result = "failed";
    r.message = std::move(message);
    ++failures_;
    log_error(fmt::format("reload ({}) failed, the running state is unchanged: {}", to_string(r.cause), r.message));
    last_failure_ = r;
}

void PolicyDaemon::persist(const kernel::KernelState& kernel, const std::string& ike_json, std::size_t rules,
                           const std::vector<std::string>& static_sources, ReloadRecord& r) {
    const auto t = Clock::now();
    SerializedState serialized{kernel_state_to_json(kernel).dump(), ike_json};
    const std::string lkg_json = serialized.kernel_json + serialized.ike_json;
    if (lkg_json != applied_.lkg_json) {
        LastKnownGood lkg;
        lkg.me = applied_.me;
        lkg.policy = applied_.policy;
        lkg.rules = rules;
        lkg.sources = static_sources;
        if (auto written = write_last_known_good(config_.state_directory, lkg, serialized); written)
            applied_.lkg_json = lkg_json;
        else
            log_error(fmt::format("last-known-good not saved (the applied policy is running): {}", written.error()));
    }
    r.persist_ms = ms_since(t);
}

bool PolicyDaemon::try_quick_reload(ReloadRecord& r, std::chrono::steady_clock::time_point t0) {
    if (!nft_connection_) {
        if (auto opened = kernel::NftConnection::open()) nft_connection_.emplace(std::move(*opened));
    }
    auto quick = quick_reload(*live_, sources_, plan_options(), nft_connection_ ? &*nft_connection_ : nullptr);
    if (!quick) {
        r.full_because = quick.error();
        log_debug(fmt::format("full reload: {}", quick.error()));
        return false;
    }
    r.quick = true;
    r.read_ms = quick->read_ms;
    r.plan_ms = quick->plan_ms;
    r.apply_ms = quick->apply_ms;
    r.nft_elements_added = quick->nft_elements_added;
    r.nft_elements_removed = quick->nft_elements_removed;
    r.nft_elements = element_count(live_->kernel);
    r.xfrm_unchanged = live_->kernel.xfrm.size();
    for (const auto& d : quick->diagnostics) {
        if (d.severity == Severity::Warning) ++r.warnings;
        log(d.severity == Severity::Warning ? LogLevel::Warning : LogLevel::Debug, d.to_string());
    }
    r.result = quick->changed ? "applied" : "unchanged";
    if (quick->changed) {
        applied_.since = now_utc();
        const double applied_ms = ms_since(t0);
        // Last-known-good is written after the check below (or at stop): a
        // 100 000-filter state is 14 MB to serialise and fsync, and a burst
        // of edits needs it written once.
        lkg_pending_ = true;
        check_at_ = Clock::now() + std::chrono::seconds(2);
        log_info(fmt::format("{}quick reload ({}): {} filter(s) edited, {} record(s); nft -{} +{} set elements, "
                             "nothing else touched; applied in {:.1f} ms (read {:.1f} of which decoding {:.1f}, "
                             "plan {:.1f}, apply {:.1f})",
                             applied_.policy_where.empty() ? "" : applied_.policy_where + ": ", to_string(r.cause),
                             quick->filters, quick->records, r.nft_elements_removed, r.nft_elements_added, applied_ms,
                             quick->read_ms, quick->decode_ms, quick->plan_ms, quick->apply_ms));
    }
    r.message = summary();
    last_failure_.reset();
    return true;
}

const ReloadRecord& PolicyDaemon::reload(ReloadCause cause, const std::vector<std::string>& reread_dynamic,
                                         bool forced) {
    const auto t0 = Clock::now();
    ++reloads_;
    ReloadRecord r;
    r.cause = cause;
    r.at = now_utc();
    auto finish = [&]() -> const ReloadRecord& {
        r.total_ms = ms_since(t0);
        last_ = std::move(r);
        return last_;
    };

    // 0. Edited filter lines only: the quick reload, which touches just them.
    if (cause == ReloadCause::FileChange && !forced && reread_dynamic.empty() && live_ && try_quick_reload(r, t0))
        return finish();

    // 1. Read: the store as Windows would hold it now.
    auto reading = sources_.read(reread_dynamic);
    r.read_ms = ms_since(t0);
    if (!reading) {
        fail(r, reading.error().message);
        return finish();
    }

    // 2. Plan and build everything; nothing is touched yet.
    const auto t1 = Clock::now();
    const plan::PlanOptions plan_options = this->plan_options();
    const translation::IkeStackOptions ike_options = this->ike_options();
    Diagnostics& diagnostics = reading->diagnostics;
    translation::Translation t = translation::translate(reading->store, plan_options, ike_options, diagnostics);
    r.plan_ms = ms_since(t1);
    std::size_t shown = 0;
    for (const auto& d : diagnostics.all()) {
        if (d.severity == Severity::Warning) ++r.warnings;
        if (d.severity == Severity::Error && r.errors.size() < diagnostics_shown) r.errors.push_back(d.to_string());
        if (shown >= diagnostics_shown) continue;
        ++shown;
        log(d.severity == Severity::Error     ? LogLevel::Error
            : d.severity == Severity::Warning ? LogLevel::Warning
                                              : LogLevel::Debug,
            d.to_string());
    }
    if (diagnostics.has_errors()) {
        fail(r, fmt::format("{} error(s) in the policy sources (first: {})", diagnostics.error_count(),
                            r.errors.empty() ? "?" : r.errors.front()));
        return finish();
    }

    // What the kernel holds is compared as values; only after a boot from
    // last-known-good is there nothing but its serialised form to compare.
    const std::string ike_json = ike_config_to_json(t.ike, true).dump();
    const bool kernel_changed =
        forced || (live_ ? !(t.kernel == live_->kernel)
                         : applied_.kernel_json.empty() || kernel_state_to_json(t.kernel).dump() != applied_.kernel_json);
    const bool ike_changed = forced || ike_json != applied_.ike_json;
    r.nft_elements = element_count(t.kernel);
    for (const auto& c : t.kernel.nft.chains) r.nft_rules += c.rules.size();

    // 3. Apply: charon first (a refusal leaves the kernel untouched), then
    // the kernel (XFRM make-before-break, then one nft batch).
    const auto t2 = Clock::now();
    if (ike_changed && charon_.connected()) {
        auto loaded = charon_.load(t.ike);
        if (!loaded) {
            // Put back what charon held before (best effort: it may be gone).
            if (charon_.connected()) (void)charon_.load(applied_.ike);
            fail(r,
                 fmt::format("charon refused the IKE configuration: {}{}", loaded.error().message,
                             loaded.error().daemon_message.empty() ? "" : " (" + loaded.error().daemon_message + ")"));
            return finish();
        }
        r.ike_loaded = true;
    }
    if (kernel_changed) {
        // Forced: the whole table again, which also repairs what someone else removed.
        auto report = kernel::apply_kernel_state(t.kernel, live_ && !forced ? &live_->kernel : nullptr);
        if (!report) {
            if (r.ike_loaded && charon_.connected()) (void)charon_.load(applied_.ike);
            fail(r, report.error().message);
            return finish();
        }
        r.nft_replaced = report->nft_table_replaced;
        r.nft_elements_added = report->nft_elements_added;
        r.nft_elements_removed = report->nft_elements_removed;
        r.xfrm_added = report->xfrm.added;
        r.xfrm_updated = report->xfrm.updated;
        r.xfrm_removed = report->xfrm.removed;
        r.xfrm_unchanged = report->xfrm.unchanged;
        for (const auto& c : report->xfrm.conflicts) log_warning(c);
    } else {
        r.xfrm_unchanged = t.kernel.xfrm.size();
    }
    r.apply_ms = ms_since(t2);
    sources_.commit(*reading);

    const bool me_moved = applied_.me != plan_options.me;
    applied_.kernel_json.clear();  // live_ holds it now
    applied_.ike_json = ike_json;
    applied_.ike = t.ike;
    applied_.me = plan_options.me;
    applied_.policy = t.plan.policy ? t.plan.policy->name : "";
    applied_.policy_where = t.plan.policy ? t.plan.policy->where.to_string() : "";
    applied_.poll_minutes = t.plan.policy ? t.plan.policy->polling_interval_minutes : 180;
    applied_.rules = t.plan.rules.size();
    applied_.classes = t.plan.classes.size();
    applied_.nft_elements = r.nft_elements;
    applied_.xfrm_policies = t.kernel.xfrm.size();
    if (kernel_changed || ike_changed || applied_.origin != "sources") applied_.since = now_utc();
    applied_.origin = "sources";

    // 4. Persist the static part as last-known-good (dynamic policy never is).
    std::vector<std::string> static_sources;
    for (const auto& s : sources_.sources())
        if (s.kind == SourceKind::Static &&
            std::find(reading->used.begin(), reading->used.end(), s.path) != reading->used.end())
            static_sources.push_back(s.path);
    if (reading->has_dynamic_policy) {
        Diagnostics ignored;
        plan::PlanOptions static_options = plan_options;
        static_options.include_dynamic = false;
        const auto static_only = translation::translate(reading->store, static_options, ike_options, ignored);
        persist(static_only.kernel, ike_config_to_json(static_only.ike, true).dump(), static_only.plan.rules.size(),
                static_sources, r);
    } else if (kernel_changed || ike_changed || lkg_pending_ || applied_.lkg_json.empty() ||
               cause == ReloadCause::Start) {
        persist(t.kernel, ike_json, t.plan.rules.size(), static_sources, r);
    }
    lkg_pending_ = false;

    // Kept whole for the next reload to compare with and to edit.
    live_.reset();
    live_.emplace();
    live_->store = reading->store;
    live_->plan = std::move(t.plan);
    live_->kernel = std::move(t.kernel);
    live_->texts = std::move(reading->static_texts);
    live_->has_dynamic_policy = reading->has_dynamic_policy;

    // The previous policy's millions of small blocks were just freed; give
    // them back now rather than have the next quick reload's first large
    // allocation consolidate them (measured: tens of ms at 100 000 filters).
    ::malloc_trim(0);

    r.result = kernel_changed || ike_changed ? "applied" : "unchanged";
    r.message = summary();
    if (me_moved)
        log_info(fmt::format("`me` now stands for {}; filters that name it were expanded again", join(applied_.me)));
    if (cause == ReloadCause::Check && kernel_changed)
        log_error("the full re-plan differs from what the quick reload applied; the full result is applied now");
    log(r.result == "applied" ? LogLevel::Info : LogLevel::Debug,
        fmt::format("{}{} ({}): {}; XFRM +{} ~{} -{} ={}; nft {}; {:.0f} ms (read {:.0f}, plan {:.0f}, apply {:.0f})",
                    applied_.policy_where.empty() ? "" : applied_.policy_where + ": ", r.result, to_string(cause),
                    r.message, r.xfrm_added, r.xfrm_updated, r.xfrm_removed, r.xfrm_unchanged,
                    r.nft_replaced  ? fmt::format("table replaced ({} elements)", r.nft_elements)
                    : kernel_changed ? fmt::format("set elements -{} +{}", r.nft_elements_removed, r.nft_elements_added)
                                    : "untouched",
                    ms_since(t0), r.read_ms, r.plan_ms, r.apply_ms));
    if (ike_changed && !charon_.connected() && wants_charon())
        log_warning(fmt::format("charon is not reachable at {} ({}); its {} connections are loaded when it is",
                                charon_.uri(), charon_.last_error(), applied_.ike.connections.size()));
    last_failure_.reset();
    return finish();
}

bool PolicyDaemon::check_due() const {
    return check_at_ && Clock::now() >= *check_at_;
}

void PolicyDaemon::check_quick_reloads() {
    check_at_.reset();
    reload(ReloadCause::Check, {}, false);
}

void PolicyDaemon::persist_pending() {
    if (!lkg_pending_ || !live_) return;
    ReloadRecord ignored;
    std::vector<std::string> static_sources;
    for (const auto& text : live_->texts) static_sources.push_back(text.path);
    persist(live_->kernel, applied_.ike_json, live_->plan.rules.size(), static_sources, ignored);
    lkg_pending_ = false;
}

void PolicyDaemon::follow_charon() {
    if (!wants_charon()) return;
    if (!charon_.refresh()) return;
    auto loaded = charon_.load(applied_.ike);
    ++charon_reloads_;
    if (loaded) {
        charon_result_ = fmt::format("{} connections and {} keys loaded at {}", loaded->connections_loaded,
                                     loaded->keys_loaded, now_utc());
        log_info(fmt::format("charon at {} answers: {}", charon_.uri(), charon_result_));
    } else {
        charon_result_ = fmt::format("loading failed at {}: {}", now_utc(), loaded.error().message);
        log_error(fmt::format("charon at {}: {}", charon_.uri(), charon_result_));
    }
}

std::string PolicyDaemon::summary() const {
    if (applied_.origin.empty()) return "no policy applied";
    if (applied_.origin == "fail-closed") return "fail-closed: dropping all but loopback";
    return fmt::format("policy {}{}: {} rules, {} nft set elements, {} XFRM policies, {} IKE connections; me = {}",
                       applied_.policy.empty() ? "(none assigned)" : "'" + applied_.policy + "'",
                       applied_.origin == "last-known-good" ? " (last-known-good)" : "", applied_.rules,
                       applied_.nft_elements, applied_.xfrm_policies, applied_.ike.connections.size(),
                       join(applied_.me));
}

}  // namespace winipsec::daemon
