#pragma once
// Windows Firewall connection security rules: `netsh advfirewall consec add
// rule ...` scripts and `netsh advfirewall consec show rule` listings (spec
// windows-ipsec.md §11), mapped to the legacy model where it can hold them.
#include "import/importer.hpp"

namespace winipsec {

const Importer& consec_importer();

}  // namespace winipsec
