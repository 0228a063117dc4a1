#include "cli/diagnostic_output.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace winipsec::cli {

void print_diagnostics(const Diagnostics& diagnostics, const DiagnosticFilter& filter) {
    for (const auto& d : diagnostics.all()) {
        if (d.severity == Severity::Note && !filter.notes) continue;
        fmt::print(stderr, "{}\n", d.to_string());
    }
}

void print_diagnostic_summary(const Diagnostics& diagnostics) {
    std::size_t counts[3] = {};
    for (const auto& d : diagnostics.all()) ++counts[static_cast<int>(d.severity)];
    if (counts[0] + counts[1] + counts[2] == 0) return;
    auto plural = [](std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
    fmt::print(stderr, "{}, {}, {}\n", plural(counts[2], "error"), plural(counts[1], "warning"),
               plural(counts[0], "note"));
}

}  // namespace winipsec::cli
