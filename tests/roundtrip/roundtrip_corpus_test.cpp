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

// Samples whose round trip differs, each for a reason the writer warns about
// (the code named here must be among its warnings). Empty today: a sample
// added to this list needs its reason in README "translate --target netsh".
const std::map<std::string, const char*> known_differences = {};

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

TEST_CASE("every corpus sample that imports without errors reads back from its netsh script as the same plan") {
    int tried = 0, exact = 0, differing = 0, skipped = 0;
    std::string report;
    for (const auto& name : sample_names()) {
        for (const auto& format : format_table()) {
            corpus::SampleImport sample;
            try {
                sample = corpus::import_sample(name, format.name);
            } catch (const std::exception&) {
                continue;  // not a sample this harness can read in this format
            }
            check_store(sample.store, sample.diagnostics);
            if (sample.diagnostics.has_errors() || !holds_anything(sample.store)) {
                ++skipped;
                continue;
            }
            ++tried;
            INFO(name, " as ", format.name);
            const auto rt = roundtrip::round_trip(sample.store);
            CHECK_MESSAGE(!rt.read.has_errors(), "the script does not read back cleanly:\n", rt.script);
            for (const auto& d : rt.read.all())
                if (d.severity == Severity::Error) MESSAGE(d.to_string());
            const auto known = known_differences.find(name);
            if (rt.same()) {
                ++exact;
                report += fmt::format("  {:<70} {:<9} same store, same plan{}\n", name, format.name,
                                      rt.writer_warnings().empty() ? "" : "  (" + rt.writer_warnings() + ")");
                CHECK_MESSAGE(known == known_differences.end(), "round-trips now; take it off known_differences");
                continue;
            }
            ++differing;
            std::string lines;
            for (const auto& l : rt.store_differences) lines += "    store: " + l + "\n";
            for (const auto& l : rt.plan_differences) lines += "    " + l + "\n";
            report += fmt::format("  {:<70} {:<9} DIFFERS  (writer: {})\n{}", name, format.name,
                                  rt.writer_warnings().empty() ? "no warnings" : rt.writer_warnings(), lines);
            if (known == known_differences.end()) {
                FAIL_CHECK("differs after the round trip, and is not a known, warned limitation:\n", lines, "script:\n",
                           rt.script);
            } else {
                CHECK_MESSAGE(rt.writer_warnings().find(known->second) != std::string::npos,
                              "the writer does not warn with ", known->second);
            }
        }
    }
    std::printf(
        "netsh round trip over the corpus: %d imports tried, %d the same, %d differ, %d skipped "
        "(errors or nothing imported)\n%s",
        tried, exact, differing, skipped, report.c_str());
    CHECK(tried > 0);
}
