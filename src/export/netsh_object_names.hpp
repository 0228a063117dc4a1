#pragma once
// The names objects carry in the script. netsh finds policies, filter lists
// and filter actions by name, and rules by name within their policy (spec
// windows-ipsec.md §4.5), so every name written must be non-empty, unique
// among its kind (Windows compares names without case [I]) and carryable on
// a command line (netsh_quoting.hpp). Other formats do not guarantee that: a
// registry store links objects by GUID and may hold two lists of one name.
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "export/netsh_script_body.hpp"
#include "model/policy.hpp"

namespace winipsec::netsh_script {

class NameTable {
public:
    explicit NameTable(std::string kind) : kind_(std::move(kind)) {}

    // The name `object` gets in the script; W-EXPORT-RENAMED when it is not
    // `original`.
    const std::string& add(const void* object, std::string_view original, const SourceLocation& where,
                           ScriptBody& body);
    // The script name of an object added before.
    const std::string& of(const void* object) const { return by_object_.at(object); }
    // The script name of the first object added under a name equal to
    // `original` without case, as PolicyStore::find_* resolve a reference;
    // nullptr when none was added.
    const std::string* find(std::string_view original) const;

private:
    std::string kind_;
    std::map<const void*, std::string> by_object_;
    std::map<std::string, std::string> by_original_;  // lower-case original -> script name
    std::set<std::string> taken_;                     // lower-case script names
    int unnamed_ = 0;
};

struct ScriptNames {
    NameTable policies{"policy"};
    NameTable filter_lists{"filter list"};
    NameTable filter_actions{"filter action"};
    std::map<const Policy*, NameTable> rules;  // per static policy, default response rule aside
};

}  // namespace winipsec::netsh_script
