#pragma once
// The values of one store object key (spec windows-ipsec.md §2.2): which names
// belong there, whether className, ipsecID and ipsecDataType agree with the
// key, and typed access to the ones the resolver reads.
#include <optional>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "plugins/registry/store_objects.hpp"

namespace winipsec::registry {

// Unknown value names and disagreeing className / ipsecID / ipsecDataType
// become warnings.
void check_object_values(const StoreObject& object, Diagnostics& diagnostics);

// ipsecData as REG_BINARY; nullptr (reported) when absent or of another type.
const RegistryValue* blob_value(const StoreObject& object, Diagnostics& diagnostics);

// A REG_SZ value's text; nullopt when absent, empty, or not text (the latter reported).
std::optional<std::string> text_value(const RegistryKey& key, std::string_view name, Diagnostics& diagnostics);

// A reference value (REG_SZ or REG_MULTI_SZ): its strings; empty when absent.
std::vector<std::string> reference_strings(const RegistryKey& key, std::string_view name, Diagnostics& diagnostics);

}  // namespace winipsec::registry
