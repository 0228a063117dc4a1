#include "cli/load_inputs.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "cli/exit_status.hpp"

namespace winipsec::cli {

std::expected<LoadedInputs, int> load_inputs(std::string_view verb, const InputOptions& input,
                                             const PlanCliOptions& plan) {
    auto fail = [verb](const Error& e) {
        fmt::print(stderr, "winipsec {}: {}\n", verb, e.message);
        return std::unexpected(exit_status_for(e));
    };
    auto spec = input.to_spec();
    if (!spec) return fail(spec.error());
    auto plan_options = plan.to_options();
    if (!plan_options) return fail(plan_options.error());
    auto imported = import_inputs(*spec);
    if (!imported) return fail(imported.error());
    return LoadedInputs{std::move(*imported), std::move(*plan_options)};
}

}  // namespace winipsec::cli
