// The round trip over the spec's worked examples (tests/roundtrip/spec_examples,
// windows-ipsec.md §12) and the shipped examples (policies/examples): each
// file is imported with the format winipsec detects, written as a netsh
// script, read back, and must give the same store and the same plan.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "import/decoded_text.hpp"
#include "import/format_table.hpp"
#include "roundtrip_support.hpp"

using namespace winipsec;

namespace {

std::vector<std::filesystem::path> files_in(const std::string& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(WINIPSEC_SOURCE_ROOT) / folder))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string bytes_of(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Returns whether the file was an input some format reads.
bool check_round_trip(const std::filesystem::path& path, bool must_import) {
    const std::string bytes = bytes_of(path);
    auto decoded = decode_bytes(bytes, path.filename().string());
    REQUIRE(decoded);
    const FormatEntry* format = detect_format(*decoded);
    if (!format) {
        CHECK_FALSE(must_import);
        return false;
    }
    INFO(path.filename().string(), " as ", format->name);
    const auto imported = roundtrip::import_text(bytes, format->name, path.filename().string());
    if (imported.diagnostics.has_errors()) {
        CHECK_FALSE(must_import);
        return false;
    }
    const auto rt = roundtrip::round_trip(imported.store);
    std::string differences;
    for (const auto& l : rt.store_differences) differences += "  store: " + l + "\n";
    for (const auto& l : rt.plan_differences) differences += "  " + l + "\n";
    CHECK_MESSAGE(!rt.read.has_errors(), rt.script);
    CHECK_MESSAGE(rt.same(), differences, rt.script);
    // None of these needs a compromise: the writer has nothing to warn about.
    CHECK_MESSAGE(rt.writer_warnings().empty(), rt.writer_warnings());
    return true;
}

}  // namespace

TEST_CASE("the spec's worked examples E1-E17 and E19 read back from their netsh scripts unchanged") {
    int n = 0;
    for (const auto& path : files_in("tests/roundtrip/spec_examples")) n += check_round_trip(path, true);
    CHECK(n == 16);
}

TEST_CASE("policies/examples read back from their netsh scripts unchanged") {
    int n = 0;
    for (const auto& path : files_in("policies/examples")) n += check_round_trip(path, false);
    CHECK(n >= 2);  // the netsh and ipseccmd versions of KB 813878
}
