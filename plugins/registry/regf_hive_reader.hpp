#pragma once
// A binary registry hive (`regf`), as `reg save` writes it and as .ipsec files
// are suspected to be (spec windows-ipsec.md §7.4, [U]), read with libhivex
// into a registry tree. Key paths start with the hive's root key name.
#include <expected>
#include <string>
#include <string_view>

#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

bool is_regf_hive(std::string_view bytes);

// The error says why libhivex refused the hive. `file` becomes the
// SourceLocation file of every key and value (hives have no lines).
std::expected<void, std::string> read_regf_hive(std::string_view bytes, const std::shared_ptr<const std::string>& file,
                                                RegistryTree& tree);

}  // namespace winipsec::registry
