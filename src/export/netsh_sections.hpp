#pragma once
// The sections of the script, one writer each, in the order they run:
// filter lists, filter actions, policies, rules, dynamic rules, assignment.
// Objects come before what refers to them, because netsh resolves names when
// a command runs; the assignment comes last, so that a policy is enforced
// only once all of its rules exist (a block-all rule whose permit rules are
// still missing would cut off the administrator running the script).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "export/netsh_object_names.hpp"
#include "export/netsh_script_body.hpp"
#include "model/policy.hpp"

namespace winipsec::netsh_script {

struct ScriptContext {
    const PolicyStore& store;
    ScriptBody& body;
    ScriptNames names;
    // Filter lists and actions that only dynamic policies use: the dynamic
    // section writes their content with its rules.
    std::set<const FilterList*> dynamic_lists;
    std::set<const FilterAction*> dynamic_actions;

    // The list / action a rule refers to, resolved as the plan resolves it.
    const FilterList* list_of(const Rule& rule) const { return store.find_filter_list(rule.filter_list); }
    const FilterAction* action_of(const Rule& rule) const { return store.find_filter_action(rule.filter_action); }
};

// netsh_filter_lines.cpp
void write_filter_lists(ScriptContext& context);
// netsh_action_lines.cpp
void write_filter_actions(ScriptContext& context);
// The qmsecmethods value for `offers`, or nullopt when the tag is best left
// out: none given (Windows' defaults) or none netsh can express (reported).
std::optional<std::string> quick_mode_offers_text(const std::vector<QuickModeOffer>& offers, bool defaulted,
                                                  const SourceLocation& where, std::string_view owner,
                                                  ScriptContext& context);
// netsh_policy_lines.cpp: add policy and set defaultrule
void write_policies(ScriptContext& context);
void write_assignment(ScriptContext& context);
// netsh_rule_lines.cpp
void write_rules(ScriptContext& context);
// kerberos=, psk=, rootca= in preference order (spec §4.1); nothing when the
// rule has Windows' dynamic default.
void append_authentication(CommandLine& line, const Rule& rule, std::string_view owner, ScriptContext& context);
// netsh_dynamic_lines.cpp: NoDefaultExempt and the dynamic policies
void write_dynamic(ScriptContext& context);

}  // namespace winipsec::netsh_script
