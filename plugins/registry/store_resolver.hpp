#pragma once
// The IPsec policy store in a registry tree, applied to the model: every
// object decoded, the references followed (policy -> ISAKMP and NFAs, NFA ->
// filter lists and negotiation policy), the assigned policy taken from
// ActivePolicy, and everything present but not understood reported
// (spec windows-ipsec.md §2, §3).
#include <memory>
#include <string>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

struct StoreSummary {
    std::size_t objects = 0;   // ipsec* object keys found
    std::size_t settings = 0;  // IPsec service values read (NoDefaultExempt)
};

StoreSummary apply_registry_store(const RegistryTree& tree, PolicyStore& store, Diagnostics& diagnostics);

}  // namespace winipsec::registry
