// winipsec apply: make this network namespace enforce the Windows policy.
// Everything is parsed, planned and validated first; nothing is applied
// when anything is wrong, and a refused kernel change leaves the previous
// state running (kernel_state.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/ike_options.hpp"
#include "cli/input_options.hpp"
#include "cli/load_inputs.hpp"
#include "cli/plan_options.hpp"
#include "cli/verbs.hpp"
#include "daemon/policy_translation.hpp"
#include "ike/ike_config_build.hpp"
#include "ike/ike_initiate.hpp"
#include "ike/ike_vici_load.hpp"
#include "ike/vici_session.hpp"
#include "kernel/kernel_state.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::cli {
namespace {

struct ApplyOptions {
    InputOptions input;
    PlanCliOptions plan;
    IkeCliOptions ike;
    std::string vici_uri;  // empty: charon only when the plan negotiates
    bool dry_run = false;
    bool verbose = false;
    bool initiate = false;
    bool no_ike = false;
    unsigned initiate_timeout = 30;  // seconds per child
};

// --initiate: one line per child, up or the cause charon's log shows, with
// the Windows filter the child came from. True when every child is up.
bool report_initiated(const std::vector<ike::ChildOutcome>& outcomes, bool verbose) {
    std::size_t failed = 0;
    for (const auto& o : outcomes) {
        if (o.up) {
            fmt::print("initiate {}: up{}{}\n", o.child, o.already_up ? " (already)" : "",
                       o.ts.empty() ? "" : " " + o.ts.front());
            continue;
        }
        ++failed;
        fmt::print("initiate {}: failed: {} (Windows filter at {})\n", o.child, o.failure.text, o.where.to_string());
        if (verbose)
            for (const auto& line : o.log) fmt::print("    charon: [{}] {}\n", line.group, line.message);
        else if (!o.failure.evidence.empty())
            fmt::print("    charon: {}\n", o.failure.evidence);
    }
    std::fflush(stdout);  // the summary after the lines it sums up, also when both share a pipe
    if (failed) fmt::print(stderr, "winipsec apply: {} of {} IKE children did not come up\n", failed, outcomes.size());
    return failed == 0;
}

int run_apply(const ApplyOptions& o) {
    auto loaded = load_inputs("apply", o.input, o.plan);
    if (!loaded) return loaded.error();
    auto& imported = loaded->imported;
    Diagnostics& diagnostics = imported.diagnostics;
    auto ike_options = o.ike.to_stack_options();
    if (!ike_options) {
        fmt::print(stderr, "winipsec apply: {}\n", ike_options.error().message);
        return exit_status_for(ike_options.error());
    }
    // What winipsecd would install for the same store (policy_translation.hpp).
    // --no-ike: charon is configured some other way (or not at all); its
    // findings (Kerberos-only rules, ...) do not concern this apply.
    const translation::Translation translated =
        translation::translate(std::make_shared<const PolicyStore>(std::move(imported.store)), loaded->plan_options,
                               *ike_options, diagnostics, !o.no_ike);
    const plan::Plan& plan = translated.plan;
    const kernel::KernelState& state = translated.kernel;
    const ike::IkeConfig& ike_config = translated.ike;
    print_diagnostics(diagnostics, {.notes = o.verbose});
    if (diagnostics.has_errors()) {
        print_diagnostic_summary(diagnostics);
        fmt::print(stderr, "winipsec apply: nothing applied: the input has errors\n");
        return exit_input_errors;
    }
    std::size_t elements = 0;
    for (const auto& s : state.nft.sets) elements += s.elements.size();
    const std::string what = fmt::format("policy {}: {} rules in {} classes -> {} nft set elements, {} XFRM policies",
                                         plan.policy ? "'" + plan.policy->name + "'" : std::string("(none assigned)"),
                                         plan.rules.size(), plan.classes.size(), elements, state.xfrm.size());
    const std::string ike_what = fmt::format("{} IKE connections, {} pre-shared keys", ike_config.connections.size(),
                                             ike_config.shared_keys.size());
    if (o.dry_run) {
        fmt::print("dry run, nothing applied: {}; {}\n", what, ike_what);
        return exit_ok;
    }
    // charon first: when it is missing or refuses a connection, the kernel
    // state has not been touched yet.
    const bool use_charon = !o.no_ike && (!ike_config.connections.empty() || !o.vici_uri.empty());
    std::optional<ike::ViciSession> session;
    if (use_charon) {
        const std::string uri = o.vici_uri.empty() ? std::string(ike::default_vici_uri) : o.vici_uri;
        auto connected = ike::ViciSession::connect(uri);
        if (!connected) {
            fmt::print(stderr, "winipsec apply: nothing applied: charon at {}: {}\n", uri, connected.error().message);
            return exit_system;
        }
        session = std::move(*connected);
        const auto load_started = std::chrono::steady_clock::now();
        auto loaded = ike::load_ike_config(*session, ike_config);
        const auto load_took = std::chrono::steady_clock::now() - load_started;
        if (!loaded) {
            fmt::print(stderr, "winipsec apply: kernel state unchanged; charon refused the IKE configuration: {}{}\n",
                       loaded.error().message,
                       loaded.error().daemon_message.empty() ? "" : " (" + loaded.error().daemon_message + ")");
            return exit_system;
        }
        fmt::print("IKE: {} connections and {} keys loaded, {} connections and {} keys unloaded\n",
                   loaded->connections_loaded, loaded->keys_loaded, loaded->connections_unloaded,
                   loaded->keys_unloaded);
        // bench/vici_bench.sh compares this with swanctl --load-conns.
        if (o.verbose)
            fmt::print("IKE: loading took {:.1f} ms\n", std::chrono::duration<double, std::milli>(load_took).count());
    }
    auto report = kernel::apply_kernel_state(state);
    if (!report) {
        fmt::print(stderr, "winipsec apply: {}\n", report.error().message);
        return exit_status_for(report.error());
    }
    fmt::print("applied {}\n", what);
    fmt::print("XFRM: {} added, {} updated, {} removed, {} unchanged\n", report->xfrm.added, report->xfrm.updated,
               report->xfrm.removed, report->xfrm.unchanged);
    for (const auto& c : report->xfrm.conflicts) fmt::print(stderr, "winipsec apply: warning: {}\n", c);
    if (o.initiate && session) {
        // After the kernel state: its IKE exemptions must be in place.
        auto outcomes = ike::initiate_children(*session, ike_config,
                                               {.timeout = std::chrono::seconds(std::max(1u, o.initiate_timeout))});
        if (!outcomes) {
            fmt::print(stderr, "winipsec apply: applied, but initiating over VICI failed: {}\n",
                       outcomes.error().message);
            return exit_system;
        }
        if (!report_initiated(*outcomes, o.verbose)) return exit_system;
    }
    return exit_ok;
}

}  // namespace

VerbRunner add_apply_verb(CLI::App& app) {
    auto options = std::make_shared<ApplyOptions>();
    CLI::App* verb = app.add_subcommand("apply", "enforce Windows IPsec policy files in this network namespace");
    verb->footer(
        "Installs one nftables table (inet winipsec) and XFRM policies tagged as winipsec's, and loads\n"
        "the negotiate rules into charon as connections named winipsec-*; touches nothing else. The input is parsed, "
        "planned and validated first: with any error nothing is\n"
        "applied. A change the kernel refuses leaves the previous state in place.\n"
        "Exit status: 0 applied, 1 the input has errors, 2 usage, 3 the kernel or charon refused\n"
        "(kernel state unchanged), or with --initiate: a child did not come up.");
    options->input.add_to(*verb);
    options->plan.add_to(*verb);
    options->ike.add_to(*verb);
    verb->add_option("--vici", options->vici_uri,
                     "charon's VICI socket for the negotiate rules' connections and keys (default "
                     "unix:///var/run/charon.vici, used when the policy negotiates)")
        ->type_name("URI");
    verb->add_flag("--no-ike", options->no_ike,
                   "apply the kernel state only and leave charon alone (its connections come from elsewhere, e.g. "
                   "`translate --target swanctl`); negotiate traffic then waits for SAs someone else provides");
    verb->add_flag("--dry-run", options->dry_run, "validate and report what would be applied, change nothing");
    verb->add_flag("--initiate", options->initiate,
                   "after applying, bring up every child of the winipsec-* connections and print one line each: "
                   "up, or why not (pre-shared key mismatch, no proposal chosen, ...)");
    verb->add_option("--initiate-timeout", options->initiate_timeout,
                     "seconds charon may take to bring up one child (default 30)")
        ->type_name("SECONDS");
    verb->add_flag("-v,--verbose", options->verbose, "also print notes");
    return [options] { return run_apply(*options); };
}

}  // namespace winipsec::cli
