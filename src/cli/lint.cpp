// winipsec lint: only the findings, file:line:col: severity: CODE: message.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/input_options.hpp"
#include "cli/plan_options.hpp"
#include "cli/verbs.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::cli {
namespace {

struct LintOptions {
    InputOptions input;
    PlanCliOptions plan;
    bool quiet_notes = false;
};

int run_lint(const LintOptions& o) {
    auto spec = o.input.to_spec();
    auto plan_options = o.plan.to_options();
    for (const auto* e : {spec ? nullptr : &spec.error(), plan_options ? nullptr : &plan_options.error()}) {
        if (!e) continue;
        fmt::print(stderr, "winipsec lint: {}\n", e->message);
        return exit_status_for(*e);
    }
    auto imported = import_inputs(*spec);
    if (!imported) {
        fmt::print(stderr, "winipsec lint: {}\n", imported.error().message);
        return exit_status_for(imported.error());
    }
    // The plan's checks (overlaps, stateless holes) are lint findings too.
    plan::build_plan(imported->store, *plan_options, imported->diagnostics);
    print_diagnostics(imported->diagnostics, {.notes = !o.quiet_notes});
    print_diagnostic_summary(imported->diagnostics);
    return imported->diagnostics.has_errors() ? exit_input_errors : exit_ok;
}

}  // namespace

VerbRunner add_lint_verb(CLI::App& app) {
    auto options = std::make_shared<LintOptions>();
    CLI::App* verb = app.add_subcommand("lint", "check Windows IPsec policy files and print every finding");
    verb->footer(
        "Findings go to standard error as `file:line:col: severity: CODE: message`, followed by a count.\n"
        "Exit status: 0 no errors (warnings and notes allowed), 1 errors, 2 usage, 3 system error.");
    options->input.add_to(*verb);
    options->plan.add_to(*verb);
    verb->add_flag("--no-notes", options->quiet_notes, "leave notes out");
    return [options] { return run_lint(*options); };
}

}  // namespace winipsec::cli
