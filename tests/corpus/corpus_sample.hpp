#pragma once
// Shared harness for the real-world corpus suites (../shared/corpus/windows).
// Each sample starts with two header lines (`# source:`, `# kind:`) that are
// not valid in any format; they are blanked, not removed, so that diagnostics
// keep the sample file's own line numbers.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "model/policy.hpp"

namespace winipsec::corpus {

// ../shared/corpus/windows next to the source tree, or WINIPSEC_CORPUS_DIR;
// nullopt when absent (a user's checkout has no shared/).
std::optional<std::filesystem::path> corpus_dir();

struct SampleImport {
    PolicyStore store;
    Diagnostics diagnostics;
    std::string encoding;
};

// Reads `file_name` from the corpus, blanks its header and imports it with
// the importer registered as `format` in the format table.
SampleImport import_sample(std::string_view file_name, std::string_view format, const ImportOptions& options = {});

// Total filters in every filter list / rules (without default response rules) of the static store.
std::size_t filter_count(const PolicyStore& store);
std::size_t rule_count(const PolicyStore& store);
// "E-X:2 W-Y:1" -- every code with its count, sorted; handy in CHECK messages.
std::string code_summary(const Diagnostics& diagnostics);

}  // namespace winipsec::corpus
