// winipsec lint: only the findings, file:line:col: severity: CODE: message.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/input_options.hpp"
#include "cli/load_inputs.hpp"
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
    auto loaded = load_inputs("lint", o.input, o.plan);
    if (!loaded) return loaded.error();
    auto& imported = loaded->imported;
    const plan::PlanOptions& plan_options = loaded->plan_options;
    // The plan's checks (overlaps, stateless holes) are lint findings too.
    plan::build_plan(imported.store, plan_options, imported.diagnostics);
    print_diagnostics(imported.diagnostics, {.notes = !o.quiet_notes});
    print_diagnostic_summary(imported.diagnostics);
    return imported.diagnostics.has_errors() ? exit_input_errors : exit_ok;
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
