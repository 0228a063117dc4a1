#pragma once
// Runs the logical lines of a batch file or netsh script (from the shared
// batch layer) as netsh would: finds each command's head, keeps track of
// pushed contexts, repairs the damage real scripts carry (commands broken over
// several lines by a book or web page, two commands glued together by a
// missing line break) with a warning each, and applies the commands in order.
#include <memory>
#include <string>

#include "import/batch_script.hpp"
#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec::netsh {

void run_script(const BatchScript& script, const std::shared_ptr<const std::string>& file, PolicyStore& store,
                Diagnostics& diagnostics);

// Whether a line of text (commented out or not) looks like a netsh ipsec
// command; used for notes about commented-out commands and by recognise().
bool looks_like_netsh_ipsec(std::string_view text);
bool looks_like_consec(std::string_view text);  // netsh advfirewall consec ...

}  // namespace winipsec::netsh
