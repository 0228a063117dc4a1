#include "import/store_checks.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace winipsec {
namespace {

void check_rule(const PolicyStore& store, const Policy& policy, const Rule& rule, Diagnostics& diagnostics) {
    if (rule.default_response) return;
    const FilterList* list = store.find_filter_list(rule.filter_list);
    const FilterAction* action = store.find_filter_action(rule.filter_action);
    if (!list)
        diagnostics.error("E-RULE-NO-FILTERLIST", rule.where,
                          fmt::format("rule '{}' of policy '{}' uses filter list '{}', which no longer exists; "
                                      "Windows would skip this rule",
                                      rule.name, policy.name, rule.filter_list));
    if (!action)
        diagnostics.error("E-RULE-NO-FILTERACTION", rule.where,
                          fmt::format("rule '{}' of policy '{}' uses filter action '{}', which no longer exists; "
                                      "Windows would skip this rule",
                                      rule.name, policy.name, rule.filter_action));
    if (!list || !action || !rule.active) return;
    if (action->action == ActionKind::Negotiate && action->offers.empty())
        diagnostics.error("E-NEGOTIATE-NO-OFFERS", action->where,
                          fmt::format("filter action '{}' negotiates but offers no security method", action->name));
    // Windows' default authentication is Kerberos (spec §4.4); strongSwan has
    // no GSS-API authenticator for IKEv1 (§9.6), so such a rule cannot be
    // negotiated from Linux.
    const bool kerberos_only = std::all_of(rule.authentication.begin(), rule.authentication.end(),
                                           [](const AuthMethod& m) { return m.kind == AuthKind::Kerberos; });
    if (action->action == ActionKind::Negotiate && kerberos_only)
        diagnostics.warning("W-AUTH-KERBEROS-ONLY",
                            rule.authentication_defaulted || rule.authentication.empty()
                                ? rule.where
                                : rule.authentication.front().where,
                            fmt::format("rule '{}' authenticates with Kerberos only{}: Linux IKE daemons cannot do "
                                        "Windows' Kerberos (GSS-API) authentication, so it cannot be negotiated from "
                                        "Linux; add a pre-shared key or certificate method (netsh psk=/rootca=, "
                                        "ipseccmd -a PRESHARE:\"key\"/CERT:\"CA name\")",
                                        rule.name, rule.authentication_defaulted ? " (the Windows default)" : ""));
    if (list->filters.empty())
        diagnostics.note("N-RULE-EMPTY-FILTERLIST", rule.where,
                         fmt::format("rule '{}' uses filter list '{}', which has no filters: it matches nothing",
                                     rule.name, list->name));
}

}  // namespace

void check_store(const PolicyStore& store, Diagnostics& diagnostics) {
    for (const auto& policy : store.policies)
        for (const auto& rule : policy.rules) check_rule(store, policy, rule, diagnostics);

    bool any_static = false;
    for (const auto& p : store.policies) any_static |= p.origin == Origin::Static;
    if (any_static && !store.assigned_policy()) {
        // Windows enforces nothing until a policy is assigned (spec §4.5 step 3).
        SourceLocation where;
        for (const auto& p : store.policies)
            if (p.origin == Origin::Static) where = p.where;
        diagnostics.warning("W-NO-ASSIGNED-POLICY", where,
                            "no policy is assigned, so Windows would enforce nothing; assign one in the input "
                            "(netsh `set policy name=X assign=yes`, ipseccmd -x) or choose one with --policy");
    }
}

}  // namespace winipsec
