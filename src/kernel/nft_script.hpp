#pragma once
// The ruleset as `nft -f` text, for `winipsec translate --to nft` and for
// administrators who load rules themselves.
#include <string>

#include "kernel/nft_ruleset.hpp"

namespace winipsec::kernel {

// Begins with `table inet winipsec {}` + `delete table inet winipsec`, so
// loading it replaces an existing table in one transaction and never touches
// other tables.
std::string render_nft_script(const NftRuleset& ruleset);

}  // namespace winipsec::kernel
