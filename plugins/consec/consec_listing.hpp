#pragma once
// `netsh advfirewall consec show rule name=all` output: one block of
// `Label: value` lines per rule ("Rule Name:", "Endpoint1:", "Action:", ...).
// Each block is read as the `consec add rule` it describes (labels map to
// tags) and imported the same way. The column layout may be collapsed, even
// the colon lost (corpus #36: "QuickModeSecMethodsAH:AESGMAC256+...").
#include <string_view>

#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "plugins/consec/consec_policy.hpp"

namespace winipsec::consec {

// Lines that start with a `show rule` label (for recognise()).
int count_listing_lines(std::string_view utf8);

// The number of rule blocks seen.
std::size_t run_listing(const DecodedText& text, ConsecPolicy& policy, Diagnostics& diagnostics);

}  // namespace winipsec::consec
