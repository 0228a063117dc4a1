#pragma once
// A regedit export (.reg, REGEDIT4 or version 5.00) applied to a registry tree
// the way regedit imports it: keys and values in file order, `[-key]` and
// `"name"=-` deleting.
#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

// False when regedit would refuse the whole file (no header line); faults in
// single lines are diagnostics and the rest is still read.
bool read_reg_file(const DecodedText& text, RegistryTree& tree, Diagnostics& diagnostics);

// The first non-blank, non-comment line is a regedit header; lines of other
// text before it (at most a few) are allowed. For recognise().
bool has_reg_file_header(std::string_view utf8);

}  // namespace winipsec::registry
