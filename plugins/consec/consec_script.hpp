#pragma once
// Runs the logical lines of a batch file (from the shared batch layer) that
// carry `netsh advfirewall` commands, in order, against the consec policy.
#include <memory>
#include <string>

#include "import/batch_script.hpp"
#include "import/diagnostics.hpp"
#include "plugins/consec/consec_policy.hpp"

namespace winipsec::consec {

// The number of netsh advfirewall commands seen (0: not a consec script).
std::size_t run_script(const BatchScript& script, ConsecPolicy& policy, Diagnostics& diagnostics);

}  // namespace winipsec::consec
