#pragma once
// A policy (ipsecPolicy + its ipsecISAKMPPolicy) and the store that holds
// policies, filter lists and filter actions (spec §1, §4.5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/crypto_suite.hpp"
#include "model/filter.hpp"
#include "model/filter_action.hpp"
#include "model/rule.hpp"
#include "model/source_location.hpp"

namespace winipsec {

// Static policy persists in the store; dynamic policy (netsh ipsec dynamic,
// ipseccmd without -w) lives in the running SPD only and is lost on restart.
enum class Origin { Static, Dynamic };
enum class StoreLocation { Local, Domain, Persistent };

struct Policy {
    std::string name;
    std::string description;
    std::string guid;
    bool assigned = false;
    std::uint32_t polling_interval_minutes = 180;
    MainModeSettings main_mode;
    std::vector<Rule> rules;  // includes the default response rule (default_response = true)
    Origin origin = Origin::Static;
    StoreLocation location = StoreLocation::Local;
    SourceLocation where;

    Rule* default_response_rule();
    const Rule* default_response_rule() const;
};

struct PolicyStore {
    std::vector<Policy> policies;
    std::vector<FilterList> filter_lists;
    std::vector<FilterAction> filter_actions;
    // NoDefaultExempt as the input set it (netsh dynamic `set config
    // property=ipsecexempt`, the IPSEC service registry value); absent = the
    // Windows version's default, decided by plan.
    std::optional<int> no_default_exempt;

    // Windows object names compare case-insensitively [I]; see README.
    Policy* find_policy(std::string_view name, Origin origin = Origin::Static);
    const Policy* find_policy(std::string_view name, Origin origin = Origin::Static) const;
    FilterList* find_filter_list(std::string_view name);
    const FilterList* find_filter_list(std::string_view name) const;
    FilterAction* find_filter_action(std::string_view name);
    const FilterAction* find_filter_action(std::string_view name) const;

    // The assigned static policy; a domain assignment wins over a local one (spec §8.1).
    const Policy* assigned_policy() const;
};

bool names_equal(std::string_view a, std::string_view b);
const char* to_string(Origin origin);
const char* to_string(StoreLocation location);

}  // namespace winipsec
