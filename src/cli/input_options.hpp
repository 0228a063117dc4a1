#pragma once
// The options every verb that reads Windows policy files shares.
#include <expected>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "import/import_inputs.hpp"

namespace winipsec::cli {

struct InputOptions {
    std::vector<std::string> files;
    std::string format = "auto";
    std::vector<std::string> defines;  // NAME=VALUE
    std::string encoding;

    void add_to(CLI::App& verb);
    std::expected<InputSpec, Error> to_spec() const;
};

}  // namespace winipsec::cli
