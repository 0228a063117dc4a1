#include "plugins/ipseccmd/ipseccmd_commands.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plugins/ipseccmd/ipseccmd_codes.hpp"

namespace winipsec::ipseccmd {

namespace {
// "ipseccmd <policy>/<rule>"; the dynamic policy's name already says ipseccmd.
std::string object_stem(std::string_view policy, std::string_view rule) {
    if (policy == dynamic_policy_name) return fmt::format("{}/{}", policy, rule);
    return fmt::format("ipseccmd {}/{}", policy, rule);
}
}  // namespace

std::string filter_list_name(std::string_view policy, std::string_view rule) {
    return object_stem(policy, rule) + " filters";
}

std::string filter_action_name(std::string_view policy, std::string_view rule) {
    return object_stem(policy, rule) + " action";
}

namespace {

constexpr const char* description = "created by ipseccmd/ipsecpol";

template <class Exists>
std::string unique_name(const std::string& base, Exists exists) {
    if (!exists(base)) return base;
    for (int k = 2;; ++k) {
        std::string candidate = fmt::format("{} ({})", base, k);
        if (!exists(candidate)) return candidate;
    }
}

const char* store_label(StoreLocation location) {
    return location == StoreLocation::Domain ? "domain (-w DS)" : "local (-w REG)";
}

// Defaults when a switch is absent (spec §6.1, §4.4): no -n = negotiate with
// Windows' default quick-mode offers.
FilterAction make_action(const Invocation& inv, SpecKind group, std::string name) {
    FilterAction a;
    a.name = std::move(name);
    a.description = description;
    a.where = inv.where;
    if (group == SpecKind::Block) {
        a.action = ActionKind::Block;
        return a;
    }
    if (group == SpecKind::Pass) {
        a.action = ActionKind::Permit;
        return a;
    }
    if (inv.negotiation) {
        a.action = inv.negotiation->action;
        a.inbound_passthrough = inv.negotiation->inbound_passthrough;
        a.quick_mode_pfs = inv.negotiation->quick_mode_pfs;
        a.offers = inv.negotiation->offers;
    }
    if (a.action == ActionKind::Negotiate) {
        a.fallback_to_clear = inv.soft;
        if (a.offers.empty()) {
            a.offers = default_quick_mode_offers();
            a.offers_defaulted = true;
        }
    }
    return a;
}

// No -a = "dynamic defaults" = Kerberos (spec §6.1, §4.4).
void set_authentication(Rule& rule, const Invocation& inv) {
    if (inv.authentication && !inv.authentication->empty()) {
        rule.authentication = *inv.authentication;
        rule.authentication_defaulted = false;
        return;
    }
    AuthMethod kerberos;
    kerberos.kind = AuthKind::Kerberos;
    kerberos.where = inv.where;
    rule.authentication = {kerberos};
    rule.authentication_defaulted = true;
}

// Every policy has one default response rule (spec §1, §8.7). ipseccmd only
// configures it through `-f DEFAULT`, so a policy it creates gets an inactive
// one with Windows' defaults [I].
Rule inactive_default_response(const SourceLocation& where) {
    return make_default_response_rule(where, false);
}

std::optional<std::size_t> find_rule(const Policy& policy, std::string_view name) {
    for (std::size_t i = 0; i < policy.rules.size(); ++i)
        if (!policy.rules[i].default_response && names_equal(policy.rules[i].name, name)) return i;
    return std::nullopt;
}

}  // namespace

ToolSession::ToolSession(PolicyStore& store, Diagnostics& diagnostics) : store_(store), diagnostics_(diagnostics) {}

void ToolSession::apply(const Invocation& inv) {
    if (inv.delete_dynamic) delete_dynamic_policy();
    if (inv.static_mode)
        apply_static(inv);
    else
        apply_dynamic(inv);
}

Policy* ToolSession::find_static(const Invocation& inv) {
    for (auto& p : store_.policies)
        if (p.origin == Origin::Static && p.location == inv.location && names_equal(p.name, inv.policy->name))
            return &p;
    return nullptr;
}

Policy& ToolSession::create_static(const Invocation& inv) {
    Policy policy;
    policy.name = inv.policy->name;
    policy.description = description;
    policy.origin = Origin::Static;
    policy.location = inv.location;
    policy.main_mode.offers = default_main_mode_offers();  // -1s absent: Windows defaults (§8.9)
    policy.rules.push_back(inactive_default_response(inv.where));
    policy.where = inv.where;
    store_.policies.push_back(std::move(policy));
    return store_.policies.back();
}

// Policy-wide settings are changed only by the switches given: an invocation
// without -1s leaves the main-mode offers as they are [I] (the tool help says
// each run sets "an IPSec rule, an IKE policy, or both").
void ToolSession::apply_policy_settings(Policy& policy, const Invocation& inv) {
    if (inv.polling_minutes) policy.polling_interval_minutes = *inv.polling_minutes;
    if (inv.main_mode_offers && !inv.main_mode_offers->empty()) policy.main_mode.offers = *inv.main_mode_offers;
    if (inv.main_mode_rekey) {
        if (inv.main_mode_rekey->seconds) policy.main_mode.lifetime_seconds = *inv.main_mode_rekey->seconds;
        if (inv.main_mode_rekey->quick_modes)
            policy.main_mode.quick_modes_per_main_mode = *inv.main_mode_rekey->quick_modes;
    }
    if (inv.master_pfs) policy.main_mode.master_pfs = true;
}

void ToolSession::apply_static(const Invocation& inv) {
    Policy* policy = find_static(inv);
    const std::string& name = inv.policy->name;

    if (inv.remove) {  // -o, possibly with -y
        if (!policy) {
            diagnostics_.warning(code::no_such_policy, inv.policy->where,
                                 fmt::format("no {} policy named '{}' exists at this point, so {} does nothing "
                                             "(a misspelled name, or a policy made outside this script?)",
                                             store_label(inv.location), name, inv.unassign ? "-y -o" : "-o"));
            return;
        }
        if (inv.unassign) policy->assigned = false;
        if (inv.rules.empty()) {
            erase_policy(*policy);
            return;
        }
        for (const auto& rule : inv.rules) {
            if (const auto index = find_rule(*policy, rule.name))
                erase_rule(*policy, *index);
            else
                diagnostics_.warning(
                    code::no_such_rule, rule.where,
                    fmt::format("policy '{}' has no rule named '{}'; nothing deleted", name, rule.name));
        }
        return;
    }

    if (inv.has_filters) {
        if (!policy) policy = &create_static(inv);
        apply_policy_settings(*policy, inv);
        if (inv.has_default_spec()) {
            configure_default_response(*policy, inv);
        } else {
            std::string rule_name;
            if (!inv.rules.empty()) {
                rule_name = inv.rules.front().name;
            } else {
                // No -r: the tool generates a name [I]; ours is deterministic.
                std::size_t n = 1;
                for (const auto& r : policy->rules) n += r.default_response ? 0 : 1;
                rule_name = unique_name(fmt::format("rule {}", n),
                                        [&](const std::string& s) { return find_rule(*policy, s).has_value(); });
            }
            put_rule(*policy, rule_name, inv, SpecKind::Plain);
        }
    } else if (!policy) {
        diagnostics_.warning(code::no_such_policy, inv.policy->where,
                             fmt::format("no {} policy named '{}' exists at this point, so {} does nothing "
                                         "(a misspelled name, or a policy made outside this script?)",
                                         store_label(inv.location), name, inv.assign ? "-x" : "-y"));
        return;
    } else {
        apply_policy_settings(*policy, inv);
    }

    if (inv.assign) assign(*policy);
    if (inv.unassign) policy->assigned = false;
}

// Assigning one policy un-assigns the previously assigned one (KB 813878)
// in the same store; a domain assignment still overrides a local one
// (PolicyStore::assigned_policy, spec §1) [I: one assignment per store].
void ToolSession::assign(Policy& policy) {
    for (auto& p : store_.policies)
        if (p.origin == Origin::Static && p.location == policy.location) p.assigned = false;
    policy.assigned = true;
}

void ToolSession::apply_dynamic(const Invocation& inv) {
    if (!dynamic_noted_) {
        dynamic_noted_ = true;
        diagnostics_.note(code::dynamic, inv.where,
                          "this file uses ipseccmd/ipsecpol dynamic mode (no -w): that policy is held by the running "
                          "IPsec service, not stored as a named policy (ipsecpol's is lost when the Policy Agent "
                          "restarts), and it applies next to any assigned policy; winipsec translates it only with "
                          "--include-dynamic");
    }
    if (!inv.has_filters) return;

    Policy* policy = store_.find_policy(dynamic_policy_name, Origin::Dynamic);
    if (!policy) {
        Policy p;
        p.name = dynamic_policy_name;
        p.description = "ipseccmd/ipsecpol dynamic mode (volatile)";
        p.origin = Origin::Dynamic;
        // `assigned` stays false: dynamic policy is in force without an
        // assignment, and PolicyStore::assigned_policy() looks at static ones only.
        p.main_mode.offers = default_main_mode_offers();
        p.rules.push_back(inactive_default_response(inv.where));
        p.where = inv.where;
        store_.policies.push_back(std::move(p));
        policy = &store_.policies.back();
    }
    apply_policy_settings(*policy, inv);
    if (inv.has_default_spec()) {
        configure_default_response(*policy, inv);
        return;
    }

    std::string base;
    do {
        base = fmt::format("dynamic {}", ++dynamic_counter_);
    } while (find_rule(*policy, base) || find_rule(*policy, base + " block") || find_rule(*policy, base + " pass"));
    bool any[4] = {false, false, false, false};
    for (const auto& spec : inv.filters) any[static_cast<int>(spec.kind)] = true;
    if (any[static_cast<int>(SpecKind::Plain)]) put_rule(*policy, base, inv, SpecKind::Plain);
    if (any[static_cast<int>(SpecKind::Block)]) put_rule(*policy, base + " block", inv, SpecKind::Block);
    if (any[static_cast<int>(SpecKind::Pass)]) put_rule(*policy, base + " pass", inv, SpecKind::Pass);
}

// -u: "delete all dynamic policy created by the tool" (KB 813878); dynamic
// policy from other sources (netsh ipsec dynamic) is not ours to delete.
void ToolSession::delete_dynamic_policy() {
    if (const Policy* policy = store_.find_policy(dynamic_policy_name, Origin::Dynamic)) erase_policy(*policy);
}

void ToolSession::put_rule(Policy& policy, const std::string& rule_name, const Invocation& inv, SpecKind group) {
    const auto existing = find_rule(policy, rule_name);
    if (existing) {
        const Rule old = policy.rules[*existing];
        diagnostics_.note(code::rule_replaced, inv.where,
                          fmt::format("rule '{}' of policy '{}' (from {}) is replaced: ipseccmd replaces a rule of the "
                                      "same name with its new filters and action",
                                      rule_name, policy.name, old.where.to_string()));
        policy.rules.erase(policy.rules.begin() + static_cast<std::ptrdiff_t>(*existing));
        // Free the old names so that the replacement reuses them.
        auto unreferenced = [&](auto member, const std::string& n) {
            for (const auto& p : store_.policies)
                for (const auto& r : p.rules)
                    if (names_equal(r.*member, n)) return false;
            return true;
        };
        if (unreferenced(&Rule::filter_list, old.filter_list))
            std::erase_if(store_.filter_lists,
                          [&](const FilterList& l) { return names_equal(l.name, old.filter_list); });
        if (unreferenced(&Rule::filter_action, old.filter_action))
            std::erase_if(store_.filter_actions,
                          [&](const FilterAction& a) { return names_equal(a.name, old.filter_action); });
    }

    FilterList list;
    list.name = unique_name(filter_list_name(policy.name, rule_name),
                            [&](const std::string& s) { return store_.find_filter_list(s) != nullptr; });
    list.description = description;
    list.where = inv.where;
    for (const auto& spec : inv.filters)
        if (spec.kind == group) list.filters.push_back(spec.filter);

    FilterAction action =
        make_action(inv, group, unique_name(filter_action_name(policy.name, rule_name), [&](const std::string& s) {
                        return store_.find_filter_action(s) != nullptr;
                    }));

    Rule rule;
    rule.name = rule_name;
    rule.description = description;
    rule.filter_list = list.name;
    rule.filter_action = action.name;
    rule.tunnel_endpoint = inv.tunnel;
    rule.connection_type = inv.connection.value_or(ConnectionType::All);
    set_authentication(rule, inv);
    rule.where = inv.where;
    check_rule(rule, action, inv, group);

    store_.filter_lists.push_back(std::move(list));
    store_.filter_actions.push_back(std::move(action));
    if (existing)
        policy.rules.insert(policy.rules.begin() + static_cast<std::ptrdiff_t>(*existing), std::move(rule));
    else
        policy.rules.push_back(std::move(rule));
}

void ToolSession::configure_default_response(Policy& policy, const Invocation& inv) {
    Rule* rule = policy.default_response_rule();
    if (!rule) {
        policy.rules.push_back(inactive_default_response(inv.where));
        rule = &policy.rules.back();
    }
    rule->active = true;
    rule->default_response_action = make_action(inv, SpecKind::Plain, default_response_name);
    set_authentication(*rule, inv);
    rule->where = inv.where;
    check_rule(*rule, *rule->default_response_action, inv, SpecKind::Default);
}

void ToolSession::erase_rule(Policy& policy, std::size_t index) {
    const Rule old = policy.rules[index];
    policy.rules.erase(policy.rules.begin() + static_cast<std::ptrdiff_t>(index));
    auto referenced = [&](auto member, const std::string& n) {
        for (const auto& p : store_.policies)
            for (const auto& r : p.rules)
                if (names_equal(r.*member, n)) return true;
        return false;
    };
    if (!old.filter_list.empty() && !referenced(&Rule::filter_list, old.filter_list))
        std::erase_if(store_.filter_lists, [&](const FilterList& l) { return names_equal(l.name, old.filter_list); });
    if (!old.filter_action.empty() && !referenced(&Rule::filter_action, old.filter_action))
        std::erase_if(store_.filter_actions,
                      [&](const FilterAction& a) { return names_equal(a.name, old.filter_action); });
}

// Deletes the policy and the filter lists and actions that only its rules
// used (ipseccmd made one of each per rule).
void ToolSession::erase_policy(const Policy& policy) {
    const auto it =
        std::find_if(store_.policies.begin(), store_.policies.end(), [&](const Policy& p) { return &p == &policy; });
    if (it == store_.policies.end()) return;
    while (!it->rules.empty()) erase_rule(*it, it->rules.size() - 1);
    store_.policies.erase(it);
}

// Checks at the invocation (spec §8.2, §8.6, §9.6).
void ToolSession::check_rule(const Rule& rule, const FilterAction& action, const Invocation& inv, SpecKind group) {
    if (action.action != ActionKind::Negotiate) return;
    for (const auto& spec : inv.filters) {
        if (spec.kind != group) continue;
        // A non-mirrored negotiate filter (E7) is reported by the plan's lint
        // for every format (W-MIRROR-NEGOTIATE), not here.
        if (rule.tunnel_endpoint && spec.filter.mirrored)
            diagnostics_.warning(code::tunnel_mirrored, spec.direction,
                                 fmt::format("'{}' is mirrored in a tunnel rule (-t): a tunnel needs one rule per "
                                             "direction with non-mirrored filters (§8.6); the mirrored half is not "
                                             "tunnelled as Windows would",
                                             spec.word.text));
    }
    // Kerberos-only authentication is reported for every format by
    // check_store (W-AUTH-KERBEROS-ONLY).
}

}  // namespace winipsec::ipseccmd
