// winipsec translate: import Windows policy files and print what they mean.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/ike_options.hpp"
#include "cli/input_options.hpp"
#include "cli/load_inputs.hpp"
#include "cli/netdiag_listing.hpp"
#include "cli/plan_options.hpp"
#include "cli/plan_text.hpp"
#include "cli/store_json.hpp"
#include "cli/verbs.hpp"
#include "export/netsh_script_writer.hpp"
#include "ike/ike_config_build.hpp"
#include "ike/swanctl_conf.hpp"
#include "kernel/kernel_state.hpp"
#include "kernel/nft_script.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::cli {
namespace {

struct TranslateOptions {
    InputOptions input;
    PlanCliOptions plan;
    IkeCliOptions ike;
    std::string target = "listing";
    bool show_secrets = false;
    bool keep_going = false;
    bool verbose = false;
};

int run_translate(const TranslateOptions& o) {
    auto loaded = load_inputs("translate", o.input, o.plan);
    if (!loaded) return loaded.error();
    auto& imported = loaded->imported;
    const plan::PlanOptions& plan_options = loaded->plan_options;
    Diagnostics& diagnostics = imported.diagnostics;
    // The json and netsh targets are the store itself: no plan, no host lookups.
    const bool store_target = o.target == "json" || o.target == "netsh";
    const plan::Plan plan = store_target ? plan::Plan{} : plan::build_plan(imported.store, plan_options, diagnostics);
    const bool kernel_target = o.target == "nft" || o.target == "xfrm" || o.target == "all";
    const kernel::KernelState state =
        kernel_target ? kernel::build_kernel_state(plan, diagnostics, {.libipsec = o.ike.charon_owns_policies()})
                      : kernel::KernelState{};
    ike::IkeConfig ike_config;
    if (o.target == "swanctl" || o.target == "all") {
        auto ike_options = o.ike.to_options(plan);
        if (!ike_options) {
            fmt::print(stderr, "winipsec translate: {}\n", ike_options.error().message);
            return exit_status_for(ike_options.error());
        }
        ike_config = ike::build_ike_config(plan, *ike_options, diagnostics);
    }
    // What netsh cannot express is reported with the input's findings.
    const std::string netsh_script =
        o.target != "netsh" ? std::string()
                            : write_netsh_script(imported.store,
                                                 {.show_secrets = o.show_secrets,
                                                  .sources = o.input.files,
                                                  .generator = "winipsec " WINIPSEC_VERSION},
                                                 diagnostics);
    print_diagnostics(diagnostics, {.notes = o.verbose});
    if (diagnostics.has_errors() && !o.keep_going) {
        print_diagnostic_summary(diagnostics);
        fmt::print(stderr, "winipsec translate: no output: the input has errors (--keep-going prints anyway)\n");
        return exit_input_errors;
    }
    if (kernel_target) {
        if (o.target != "xfrm") fmt::print("{}", kernel::render_nft_script(state.nft));
        if (o.target != "nft") fmt::print("{}", kernel::render_ip_xfrm(state.xfrm));
        if (o.target == "all") fmt::print("{}", ike::render_swanctl_conf(ike_config, o.show_secrets));
    } else if (o.target == "swanctl")
        fmt::print("{}", ike::render_swanctl_conf(ike_config, o.show_secrets));
    else if (o.target == "netsh")
        fmt::print("{}", netsh_script);
    else if (o.target == "json")
        fmt::print("{}\n", store_to_json(imported.store, {.show_secrets = o.show_secrets}).dump(2));
    else if (o.target == "plan")
        fmt::print("{}", render_plan_text(plan));
    else
        fmt::print("{}", render_netdiag_listing(plan));
    return diagnostics.has_errors() ? exit_input_errors : exit_ok;
}

}  // namespace

VerbRunner add_translate_verb(CLI::App& app) {
    auto options = std::make_shared<TranslateOptions>();
    CLI::App* verb = app.add_subcommand("translate", "import Windows IPsec policy files and print their meaning");
    verb->footer(
        "Targets: listing = the policy's effective directional filters in the order Windows consults\n"
        "them, in the layout of `netdiag /test:ipsec /debug`, each with its source location;\n"
        "plan = the same as one line per rule with rank, shape class and verdict;\n"
        "json = the whole imported store (README \"JSON OUTPUT\");\n"
        "netsh = a cmd.exe batch file of netsh ipsec commands that recreates the imported store on Windows;\n"
        "nft = the equivalent `nft -f` script; xfrm = the equivalent `ip xfrm policy` commands;\n"
        "swanctl = the IKE connections and secrets for charon as swanctl.conf; all = nft, xfrm and swanctl.\n"
        "Exit status: 0 ok (warnings allowed), 1 the input has errors, 2 usage, 3 system error.");
    options->input.add_to(*verb);
    options->plan.add_to(*verb);
    options->ike.add_to(*verb);
    verb->add_option("--target", options->target, "what to print")
        ->check(CLI::IsMember({"listing", "plan", "json", "nft", "xfrm", "swanctl", "netsh", "all"}))
        ->default_val("listing");
    verb->add_flag("--show-secrets", options->show_secrets,
                   "print pre-shared keys instead of ******** (netsh: <REDACTED>)");
    verb->add_flag("--keep-going", options->keep_going, "print the translation even when the input has errors");
    verb->add_flag("-v,--verbose", options->verbose, "also print notes");
    return [options] { return run_translate(*options); };
}

}  // namespace winipsec::cli
