// winipsec translate: import Windows policy files and print what they mean.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/input_options.hpp"
#include "cli/netdiag_listing.hpp"
#include "cli/store_json.hpp"
#include "cli/verbs.hpp"
#include "plan/expand.hpp"
#include "plan/local_addresses.hpp"

namespace winipsec::cli {
namespace {

struct TranslateOptions {
    InputOptions input;
    std::vector<std::string> me;
    std::string target = "listing";
    std::string policy;
    bool show_secrets = false;
    bool keep_going = false;
    bool verbose = false;
};

std::expected<std::vector<IpAddress>, Error> me_addresses(const std::vector<std::string>& given) {
    if (given.empty()) return plan::local_unicast_addresses();
    std::vector<IpAddress> out;
    for (const auto& text : given) {
        auto a = IpAddress::parse(text);
        if (!a) return std::unexpected(Error::usage(fmt::format("--me '{}': not an IPv4 or IPv6 address", text)));
        out.push_back(*a);
    }
    return out;
}

int run_translate(const TranslateOptions& o) {
    auto spec = o.input.to_spec();
    if (!spec) {
        fmt::print(stderr, "winipsec translate: {}\n", spec.error().message);
        return exit_status_for(spec.error());
    }
    auto imported = import_inputs(*spec);
    if (!imported) {
        fmt::print(stderr, "winipsec translate: {}\n", imported.error().message);
        return exit_status_for(imported.error());
    }
    print_diagnostics(imported->diagnostics, {.notes = o.verbose});
    if (imported->diagnostics.has_errors() && !o.keep_going) {
        print_diagnostic_summary(imported->diagnostics);
        fmt::print(stderr, "winipsec translate: no output: the input has errors (--keep-going prints anyway)\n");
        return exit_input_errors;
    }
    const int status = imported->diagnostics.has_errors() ? exit_input_errors : exit_ok;

    if (o.target == "json") {
        fmt::print("{}\n", store_to_json(imported->store, {.show_secrets = o.show_secrets}).dump(2));
        return status;
    }

    const Policy* policy = nullptr;
    if (!o.policy.empty()) {
        policy = imported->store.find_policy(o.policy);
        if (!policy) {
            fmt::print(stderr, "winipsec translate: --policy '{}': no such static policy in the input\n", o.policy);
            return exit_usage;
        }
    } else {
        policy = imported->store.assigned_policy();
    }
    if (!policy) {
        fmt::print("{}", render_no_policy_listing());
        return status;
    }
    auto me = me_addresses(o.me);
    if (!me) {
        fmt::print(stderr, "winipsec translate: {}\n", me.error().message);
        return exit_status_for(me.error());
    }
    Diagnostics plan_diagnostics;
    const auto filters = plan::expand(imported->store, *policy, {.me = *me}, plan_diagnostics);
    print_diagnostics(plan_diagnostics, {.notes = o.verbose});
    fmt::print("{}", render_netdiag_listing(*policy, filters));
    return status;
}

}  // namespace

VerbRunner add_translate_verb(CLI::App& app) {
    auto options = std::make_shared<TranslateOptions>();
    CLI::App* verb = app.add_subcommand("translate", "import Windows IPsec policy files and print their meaning");
    verb->footer(
        "Targets: listing = the assigned (or --policy) policy's effective filters, one block per\n"
        "directional filter, in the layout of `netdiag /test:ipsec /debug`, each with its source\n"
        "location; json = the whole imported store (README \"JSON OUTPUT\").\n"
        "Exit status: 0 ok (warnings allowed), 1 the input has errors, 2 usage, 3 system error.");
    options->input.add_to(*verb);
    verb->add_option("--me", options->me,
                     "an address Windows' `me` stands for (repeat for several); default: this host's IPv4 "
                     "unicast addresses")
        ->type_name("ADDR");
    verb->add_option("--target", options->target, "what to print")
        ->check(CLI::IsMember({"listing", "json"}))
        ->default_val("listing");
    verb->add_option("--policy", options->policy, "translate this static policy instead of the assigned one")
        ->type_name("NAME");
    verb->add_flag("--show-secrets", options->show_secrets, "print pre-shared keys instead of ********");
    verb->add_flag("--keep-going", options->keep_going, "print the translation even when the input has errors");
    verb->add_flag("-v,--verbose", options->verbose, "also print notes");
    return [options] { return run_translate(*options); };
}

}  // namespace winipsec::cli
