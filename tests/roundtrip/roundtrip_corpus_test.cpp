// The round trip over the real-world corpus (../shared/corpus/windows): every
// sample that some format in the format table imports without errors is
// written as a netsh script and read back. Formats are taken from the table,
// not named here, so an importer added later joins the test by registering.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "../corpus/corpus_sample.hpp"
#include "import/format_table.hpp"
#include "import/store_checks.hpp"
#include "roundtrip_support.hpp"

using namespace winipsec;

namespace {

bool holds_anything(const PolicyStore& s) {
    return !s.policies.empty() || !s.filter_lists.empty() || !s.filter_actions.empty() || s.no_default_exempt;
}

std::vector<std::string> sample_names() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(*corpus::corpus_dir()))
        if (e.is_regular_file() && e.path().extension() == ".txt") names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

// Samples whose import has errors are tried too, when they still give a
// store. A sample may differ after the round trip only for a reason the writer warns
// about (README "NETSH SCRIPTS"): a silent difference fails, and so does a
// script the netsh importer reads with errors.
TEST_CASE("every corpus sample that imports without errors reads back from its netsh script as the same plan") {
    int tried = 0, tried_with_errors = 0, exact = 0, warned = 0;
    std::string report, not_imported;
    for (const auto& name : sample_names()) {
        std::string failures;
        bool imported = false;
        for (const auto& format : format_table()) {
            corpus::SampleImport sample;
            try {
                sample = corpus::import_sample(name, format.name);
            } catch (const std::exception&) {
                continue;  // not a sample this harness can read in this format
            }
            check_store(sample.store, sample.diagnostics);
            // Inputs with errors still give a store (without the commands
            // Windows would have refused); it must round-trip as well.
            const bool clean = !sample.diagnostics.has_errors();
            if (!holds_anything(sample.store)) {
                for (const auto& d : sample.diagnostics.all())
                    if (d.severity == Severity::Error) {
                        failures += fmt::format(" {}:{}", format.name, d.code);
                        break;
                    }
                continue;
            }
            imported = imported || clean;
            ++(clean ? tried : tried_with_errors);
            INFO(name, " as ", format.name);
            const auto rt = roundtrip::round_trip(sample.store);
            for (const auto& d : rt.read.all())
                if (d.severity == Severity::Error)
                    FAIL_CHECK("reading the script back: ", d.to_string(), "\n", rt.script);
            const std::string warnings = rt.writer_warnings();
            if (rt.same()) {
                ++exact;
                report +=
                    fmt::format("  {:<70} {:<9} same store, same plan{}{}\n", name, format.name,
                                clean ? "" : " (import had errors)", warnings.empty() ? "" : "  (" + warnings + ")");
                continue;
            }
            std::string lines;
            for (const auto& l : rt.store_differences) lines += "    store: " + l + "\n";
            for (const auto& l : rt.plan_differences) lines += "    " + l + "\n";
            report += fmt::format("  {:<70} {:<9} differs, as warned ({})\n{}", name, format.name, warnings, lines);
            if (warnings.empty())
                FAIL_CHECK("differs after the round trip, and the writer warned about nothing:\n", lines, "script:\n",
                           rt.script);
            else
                ++warned;
        }
        if (!imported)
            not_imported += fmt::format("  {:<70} {}\n", name, failures.empty() ? " nothing imported" : failures);
    }
    std::printf(
        "netsh round trip over the corpus: %d clean imports and %d imports with errors tried, %d the same, "
        "%d differ as warned\n%s"
        "samples no format imports without errors:\n%s",
        tried, tried_with_errors, exact, warned, report.c_str(), not_imported.c_str());
    CHECK(tried > 0);
}
