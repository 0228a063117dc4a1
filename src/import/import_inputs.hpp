#pragma once
// Reading the files named on a command line into one store: decode each,
// pick its importer (--format or detection), apply them in order, then run
// the checks every format shares.
#include <expected>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "import/error.hpp"
#include "import/importer.hpp"

namespace winipsec {

struct InputSpec {
    std::vector<std::string> paths;
    std::string format = "auto";  // or a format-table name/alias
    ImportOptions options;
};

struct ImportedInputs {
    PolicyStore store;
    Diagnostics diagnostics;
};

// Fails (Error) only when a file cannot be read or decoded, or the format is
// unknown or cannot be detected; faults in the policy text are diagnostics.
std::expected<ImportedInputs, Error> import_inputs(const InputSpec& spec);

}  // namespace winipsec
