#pragma once
// Where a decoded blob came from, for diagnostics: the object's key, its
// ipsecData value (whose bytes may each know their line and column), and the
// diagnostics list. Messages name the object key and the byte offset.
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "plugins/registry/blob_reader.hpp"
#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

struct BlobSite {
    const RegistryKey& key;
    const RegistryValue& value;
    Diagnostics& diagnostics;

    SourceLocation at(std::size_t offset) const { return value.at_byte(offset); }
    std::string object() const { return std::string(key.leaf()); }

    // W-REG-NOT-UNDERSTOOD: "<object> ipsecData byte offset N: <what>".
    void not_understood(std::size_t offset, const std::string& what) const;
    // E-REG-UNSUPPORTED: a value the model cannot hold; `what` says what is lost.
    void unsupported(std::size_t offset, const std::string& what) const;
    void report(const std::vector<BlobFinding>& findings) const;
};

}  // namespace winipsec::registry
