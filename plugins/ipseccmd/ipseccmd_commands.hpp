#pragma once
// Applying ipseccmd/ipsecpol invocations to a PolicyStore, in order, as the
// tool would (spec windows-ipsec.md §6.1).
//
// Static mode (-w): each invocation with -f creates or replaces one rule of
// policy -p, with its own filter list and filter action, named
//     "ipseccmd <policy>/<rule> filters" and "ipseccmd <policy>/<rule> action"
// [I: the tool's own names are not documented; these are deterministic and
// unique per policy and rule, a " (2)" suffix is added only if another
// importer already used the name]. A rule without -r is named "rule <n>".
//
// Dynamic mode (no -w): filters go to one policy with Origin::Dynamic named
// "ipseccmd dynamic"; each invocation adds a rule "dynamic <n>", split into
// "dynamic <n> block" / "dynamic <n> pass" for [..] and (..) specs.
#include <string>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/ipseccmd/ipseccmd_invocation.hpp"

namespace winipsec::ipseccmd {

inline constexpr const char* dynamic_policy_name = "ipseccmd dynamic";
inline constexpr const char* default_response_name = "Default Response";

std::string filter_list_name(std::string_view policy, std::string_view rule);
std::string filter_action_name(std::string_view policy, std::string_view rule);

// One run of a script against a store: remembers what must be said once per
// file (N-IPSECCMD-DYNAMIC) and numbers the dynamic rules.
class ToolSession {
public:
    ToolSession(PolicyStore& store, Diagnostics& diagnostics);

    void apply(const Invocation& invocation);

private:
    void apply_static(const Invocation& inv);
    void apply_dynamic(const Invocation& inv);
    void delete_dynamic_policy();

    Policy* find_static(const Invocation& inv);
    Policy& create_static(const Invocation& inv);
    void apply_policy_settings(Policy& policy, const Invocation& inv);
    void put_rule(Policy& policy, const std::string& rule_name, const Invocation& inv, SpecKind group);
    void configure_default_response(Policy& policy, const Invocation& inv);
    void assign(Policy& policy);
    void erase_rule(Policy& policy, std::size_t index);
    void erase_policy(const Policy& policy);
    void check_rule(const Rule& rule, const FilterAction& action, const Invocation& inv, SpecKind group);

    PolicyStore& store_;
    Diagnostics& diagnostics_;
    bool dynamic_noted_ = false;
    int dynamic_counter_ = 0;
};

}  // namespace winipsec::ipseccmd
