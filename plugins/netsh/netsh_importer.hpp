#pragma once
// netsh `ipsec static` (and classification of `ipsec dynamic`) scripts:
// spec windows-ipsec.md §4, §5.
#include "import/importer.hpp"

namespace winipsec {

const Importer& netsh_importer();

}  // namespace winipsec
