#pragma once
// What every verb that reads Windows policy files does first: turn the
// options into an input spec and plan options, import the files, and on
// failure say so as `winipsec VERB: message` and give the exit status.
#include <expected>
#include <string_view>

#include "cli/input_options.hpp"
#include "cli/plan_options.hpp"

namespace winipsec::cli {

struct LoadedInputs {
    ImportedInputs imported;
    plan::PlanOptions plan_options;
};

// The error is the exit status to return (diagnostics in the files are not
// errors here: they are in imported.diagnostics).
std::expected<LoadedInputs, int> load_inputs(std::string_view verb, const InputOptions& input,
                                             const PlanCliOptions& plan);

}  // namespace winipsec::cli
