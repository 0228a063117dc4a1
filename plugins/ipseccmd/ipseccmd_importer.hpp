#pragma once
// ipseccmd.exe / ipsecpol.exe command lines: spec windows-ipsec.md §6.
#include "import/importer.hpp"

namespace winipsec {

const Importer& ipseccmd_importer();

}  // namespace winipsec
