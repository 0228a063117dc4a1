#pragma once
// The Windows IPsec policy store as exported from the registry: regedit .reg
// files, reg.exe add command lines, and regf hives (.ipsec files):
// spec windows-ipsec.md §2, §3, §7.4, §7.5.
#include "import/importer.hpp"

namespace winipsec {

const Importer& registry_importer();

}  // namespace winipsec
