#pragma once
// Diagnostics go to stderr, one per line: file:line:col: severity: CODE: message.
#include "import/diagnostics.hpp"

namespace winipsec::cli {

struct DiagnosticFilter {
    bool notes = false;  // notes are shown by lint and by --verbose
};

void print_diagnostics(const Diagnostics& diagnostics, const DiagnosticFilter& filter);
// "2 errors, 5 warnings, 1 note" on stderr when there is anything to count.
void print_diagnostic_summary(const Diagnostics& diagnostics);

}  // namespace winipsec::cli
