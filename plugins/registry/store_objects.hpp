#pragma once
// Where the IPsec policy store's objects sit in a registry tree (spec
// windows-ipsec.md §2): one key per object, named `<class>{GUID}`, inside a
// container key (`...\IPSec\Policy\Local`, `...\Cache`, `...\Persistent`, or
// the root of an exported hive), and the references between them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/policy.hpp"
#include "plugins/registry/blob_reader.hpp"
#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

enum class StoreClass { Policy, Isakmp, Nfa, Negotiation, Filter };

const char* class_name(StoreClass c);  // "ipsecPolicy", ...

// A reference as the store writes it: a registry path relative to HKLM
// (`SOFTWARE\...\Local\ipsecNFA{...}`) or, in AD dumps, a DN
// (`CN=ipsecNFA{...},CN=IP Security,...`). Resolved by class and GUID, not
// by path, so Local, Cache and AD spellings all work (§2.2).
struct ObjectName {
    StoreClass kind = StoreClass::Policy;
    Guid guid;
    bool operator==(const ObjectName&) const = default;
};
std::optional<ObjectName> parse_object_name(std::string_view text);

struct StoreObject {
    ObjectName name;
    const RegistryKey* key = nullptr;
    std::size_t container = 0;  // index into StoreKeys::containers
};

struct StoreContainer {
    std::string path;
    StoreLocation location = StoreLocation::Local;
    bool location_known = true;        // the path ends in Local, Cache or Persistent
    const RegistryKey* key = nullptr;  // absent when the file has no line for it
};

struct StoreKeys {
    std::vector<StoreContainer> containers;
    std::vector<StoreObject> objects;
    // Keys below an IPSec policy container that are no store object.
    std::vector<const RegistryKey*> strays;
    // Keys of the IPsec service (Services\IPSec, Services\PolicyAgent):
    // NoDefaultExempt lives there (§8.8).
    std::vector<const RegistryKey*> service_keys;
    // IPSec keys the store reads nothing from: ...\IPSec, ...\IPSec\Policy,
    // ...\GPTIPSECPolicy.
    std::vector<const RegistryKey*> structural;
    // Everything else.
    std::vector<const RegistryKey*> unrelated;

    const StoreObject* find(const ObjectName& name, std::size_t preferred_container) const;
};

StoreKeys find_store_keys(const RegistryTree& tree);

}  // namespace winipsec::registry
