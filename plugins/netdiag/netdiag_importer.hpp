#pragma once
// Listings that Windows tools print of the policy in force: `netdiag
// /test:ipsec /debug` (spec windows-ipsec.md §7.1) and `netsh ipsec static
// show all` / `show policy ... level=verbose` (§7.2, reconstructed).
#include "import/importer.hpp"

namespace winipsec {

const Importer& netdiag_importer();

}  // namespace winipsec
