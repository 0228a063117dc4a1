// netsh ipsec dynamic (spec §5): commands that change the running IPsec
// driver, not the policy store. What can be represented is kept apart from the
// static store, in one policy with Origin::Dynamic:
//   - `add rule` whose inbound and outbound actions are both permit or both
//     block becomes a rule with its own filter list;
//   - `set config property=ipsecexempt` sets NoDefaultExempt (§8.8);
//   - `delete all` removes what was imported so far (Windows empties the
//     dynamic policy database).
// Everything else is reported as not imported.
#include <algorithm>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_filter_spec.hpp"
#include "plugins/netsh/netsh_spelling.hpp"
#include "plugins/netsh/netsh_values.hpp"

namespace winipsec::netsh {
namespace {

constexpr std::string_view dynamic_policy_name = "netsh ipsec dynamic";

Policy& dynamic_policy(PolicyStore& store, const SourceLocation& where) {
    if (Policy* p = store.find_policy(dynamic_policy_name, Origin::Dynamic)) return *p;
    Policy p;
    p.name = std::string(dynamic_policy_name);
    p.origin = Origin::Dynamic;
    p.description = "rules added with netsh ipsec dynamic (lost when the IPsec service restarts)";
    p.main_mode.offers = default_main_mode_offers();
    p.where = where;
    store.policies.push_back(std::move(p));
    return store.policies.back();
}

FilterAction& dynamic_action(PolicyStore& store, ActionKind kind, const SourceLocation& where) {
    const std::string name = fmt::format("{} {}", dynamic_policy_name, to_string(kind));
    if (FilterAction* a = store.find_filter_action(name)) return *a;
    FilterAction a;
    a.name = name;
    a.action = kind;
    a.where = where;
    store.filter_actions.push_back(std::move(a));
    return store.filter_actions.back();
}

void add_rule(const Command& command, ValueReader& v, PolicyStore& store) {
    const FilterSpec spec = read_filter_spec(v, FilterUse::Add);
    const auto in = v.read("actioninbound", parse_action);
    const auto out = v.read("actionoutbound", parse_action);
    const auto conntype = v.read("conntype", parse_conntype);
    const auto tunnel = v.read("tunneldstaddress", parse_tunnel);
    if (!v.ok()) return;
    auto filter = make_filter(spec, v, command.where, "");
    if (!filter) return;
    // Both actions default to negotiate [I: the help lists negotiate first].
    const ActionKind inbound = in.value_or(ActionKind::Negotiate);
    const ActionKind outbound = out.value_or(ActionKind::Negotiate);
    if (inbound != outbound || inbound == ActionKind::Negotiate) {
        v.diagnostics().warning(
            "W-NETSH-DYNAMIC-NOT-IMPORTED", command.where,
            fmt::format("netsh ipsec dynamic add rule with actioninbound={} actionoutbound={} is not imported: "
                        "only dynamic rules that permit or block both directions are (a static filter action "
                        "acts on both directions alike)",
                        to_string(inbound), to_string(outbound)));
        return;
    }
    Policy& policy = dynamic_policy(store, command.where);
    std::size_t n = policy.rules.size() + 1;
    while (store.find_filter_list(fmt::format("{} rule {}", dynamic_policy_name, n))) ++n;
    FilterList list;
    list.name = fmt::format("{} rule {}", dynamic_policy_name, n);
    list.where = command.where;
    list.filters.push_back(std::move(*filter));
    store.filter_lists.push_back(std::move(list));
    Rule r;
    r.name = fmt::format("dynamic rule {}", n);
    r.filter_list = store.filter_lists.back().name;
    r.filter_action = dynamic_action(store, inbound, command.where).name;
    if (conntype) r.connection_type = *conntype;
    if (tunnel) r.tunnel_endpoint = *tunnel;
    // Authentication does not matter to permit and block; recorded as Windows' default.
    AuthMethod kerberos;
    kerberos.where = command.where;
    r.authentication = {kerberos};
    r.authentication_defaulted = true;
    r.where = command.where;
    policy.rules.push_back(std::move(r));
}

void set_config(const Command& command, ValueReader& v, PolicyStore& store) {
    static constexpr std::string_view properties[] = {"ipsecdiagnostics", "ikelogging",  "strongcrlcheck",
                                                      "ipsecloginterval", "ipsecexempt", "bootmode",
                                                      "bootexemptions"};
    const Token* property = v.token("property");
    const WordMatch m = match_word(properties, property->value);
    if (m.how == WordMatch::How::None || m.how == WordMatch::How::Ambiguous) {
        v.diagnostics().error("E-NETSH-BAD-VALUE", property->value_at,
                              fmt::format("'{}' is not a dynamic config property{}", property->value,
                                          did_you_mean(closest(property->value, properties))));
        return;
    }
    if (properties[m.index] == "ipsecexempt") {
        // NoDefaultExempt 0-3 (spec §8.8).
        if (const auto n = v.read("value", [](std::string_view t) { return parse_number(t, 0, 3); }))
            store.no_default_exempt = static_cast<int>(*n);
        return;
    }
    v.diagnostics().warning("W-NETSH-DYNAMIC-NOT-IMPORTED", command.where,
                            fmt::format("netsh ipsec dynamic set config property={} is not imported: only "
                                        "ipsecexempt (NoDefaultExempt) has a Linux counterpart",
                                        properties[m.index]));
}

void delete_all(const Command& command, Diagnostics& d, PolicyStore& store) {
    Policy* p = store.find_policy(dynamic_policy_name, Origin::Dynamic);
    if (!p) return;
    const std::size_t rules = p->rules.size();
    std::vector<std::string> lists;
    for (const auto& r : p->rules) lists.push_back(r.filter_list);
    std::erase_if(store.policies, [](const Policy& x) { return x.origin == Origin::Dynamic; });
    std::erase_if(store.filter_lists, [&](const FilterList& l) {
        return std::any_of(lists.begin(), lists.end(), [&](const std::string& n) { return names_equal(n, l.name); });
    });
    std::erase_if(store.filter_actions, [&](const FilterAction& a) {
        return a.name.starts_with(dynamic_policy_name) && !filter_action_in_use(store, a.name);
    });
    d.note("N-NETSH-DYNAMIC-DELETED", command.where,
           fmt::format("netsh ipsec dynamic delete all empties the running dynamic policy: the {} dynamic rule{} "
                       "imported before this line are gone again",
                       rules, rules == 1 ? "" : "s"));
}

}  // namespace

void run_dynamic_command(CommandId id, const Command& command, ValueReader& v, PolicyStore& store) {
    switch (id) {
        case CommandId::DynamicAddRule: return add_rule(command, v, store);
        case CommandId::DynamicSetConfig: return set_config(command, v, store);
        case CommandId::DynamicDeleteAll: return delete_all(command, v.diagnostics(), store);
        default: return;
    }
}

}  // namespace winipsec::netsh
