// add/set/delete filteraction, add/set/delete rule, set defaultrule (spec
// §4.2, §8.5, §8.6).
#include <algorithm>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_spelling.hpp"
#include "plugins/netsh/netsh_values.hpp"

namespace winipsec::netsh {
namespace {

// ---- filter actions ------------------------------------------------------

struct ActionFields {
    std::optional<std::string> description;
    std::optional<bool> qmpfs, inpass, soft;
    std::optional<ActionKind> action;
    std::optional<std::vector<QuickModeOffer>> offers;
};

ActionFields read_action_fields(ValueReader& v) {
    ActionFields f;
    f.description = v.text("description");
    f.qmpfs = v.read("qmpfs", parse_bool);
    f.inpass = v.read("inpass", parse_bool);
    f.soft = v.read("soft", parse_bool);
    f.action = v.read("action", parse_action);
    f.offers = v.read("qmsecmethods", parse_qmsecmethods);
    return f;
}

void apply(const ActionFields& f, FilterAction& a, ValueReader& v) {
    if (f.description) a.description = *f.description;
    if (f.qmpfs) a.quick_mode_pfs = *f.qmpfs;
    if (f.inpass) a.inbound_passthrough = *f.inpass;
    if (f.soft) a.fallback_to_clear = *f.soft;
    if (f.action) a.action = *f.action;
    if (f.offers) {
        a.offers = *f.offers;
        a.offers_defaulted = false;
    }
    // Negotiate with no offers uses Windows' default list (spec §4.4).
    if (a.action == ActionKind::Negotiate && a.offers.empty()) {
        a.offers = default_quick_mode_offers();
        a.offers_defaulted = true;
    }
    if (f.offers && a.action != ActionKind::Negotiate)
        v.diagnostics().warning("W-NETSH-OFFERS-UNUSED", v.token("qmsecmethods")->value_at,
                                fmt::format("qmsecmethods has no effect: filter action '{}' is {}, not negotiate",
                                            a.name, to_string(a.action)));
}

FilterAction* find_action(ValueReader& v, PolicyStore& store, std::string_view tag) {
    const Token* name = v.token(tag);
    if (FilterAction* a = store.find_filter_action(name->value)) return a;
    v.diagnostics().error("E-NETSH-NO-SUCH-FILTERACTION", name->value_at,
                          fmt::format("no filter action named '{}' exists at this point{}", name->value,
                                      did_you_mean(closest(name->value, filter_action_names(store)))));
    return nullptr;
}

void add_filteraction(const Command& command, ValueReader& v, PolicyStore& store) {
    const Token* name = v.token("name");
    if (store.find_filter_action(name->value)) {
        v.diagnostics().error(
            "E-NETSH-DUPLICATE-NAME", name->value_at,
            fmt::format("a filter action named '{}' already exists; netsh rejects the command", name->value));
        return;
    }
    const ActionFields fields = read_action_fields(v);
    if (!v.ok()) return;
    FilterAction a;
    a.name = name->value;
    a.where = command.where;
    apply(fields, a, v);  // action defaults to negotiate (spec §4.4)
    store.filter_actions.push_back(std::move(a));
}

void set_filteraction(ValueReader& v, PolicyStore& store) {
    FilterAction* a = nullptr;
    if (const Token* guid = v.token("guid")) {
        for (auto& x : store.filter_actions)
            if (!x.guid.empty() && iequals(x.guid, guid->value)) a = &x;
        if (!a)
            v.diagnostics().error("E-NETSH-NO-SUCH-FILTERACTION", guid->value_at,
                                  fmt::format("no filter action has guid {}", guid->value));
    } else {
        a = find_action(v, store, "name");
    }
    const ActionFields fields = read_action_fields(v);
    const Token* newname = v.token("newname");
    if (a && newname) {
        const FilterAction* other = store.find_filter_action(newname->value);
        if (other && other != a) {
            v.diagnostics().error("E-NETSH-DUPLICATE-NAME", newname->value_at,
                                  fmt::format("a filter action named '{}' already exists", newname->value));
            return;
        }
    }
    if (!a || !v.ok()) return;
    if (newname) {
        for (auto& p : store.policies)
            for (auto& r : p.rules)
                if (names_equal(r.filter_action, a->name)) r.filter_action = newname->value;
        a->name = newname->value;
    }
    apply(fields, *a, v);
}

void delete_filteraction(const Command& command, ValueReader& v, PolicyStore& store) {
    Diagnostics& d = v.diagnostics();
    auto in_use = [&](const SourceLocation& at, std::string_view name) {
        d.error("E-NETSH-IN-USE", at,
                fmt::format("filter action '{}' is used by a rule; netsh does not delete it [I]. Delete the rule "
                            "first",
                            name));
    };
    if (v.token("all")) {
        for (const auto& a : store.filter_actions)
            if (filter_action_in_use(store, a.name)) in_use(command.where, a.name);
        std::erase_if(store.filter_actions,
                      [&](const FilterAction& a) { return !filter_action_in_use(store, a.name); });
        return;
    }
    const Token* name = v.token("name");
    const auto it = std::find_if(store.filter_actions.begin(), store.filter_actions.end(),
                                 [&](const FilterAction& a) { return names_equal(a.name, name->value); });
    if (it == store.filter_actions.end()) {
        d.note("N-NETSH-NOTHING-TO-DELETE", name->value_at,
               fmt::format("no filter action named '{}' exists at this point, so there is nothing to delete "
                           "(Windows reports an error and the script goes on){}",
                           name->value, did_you_mean(closest(name->value, filter_action_names(store)))));
        return;
    }
    if (filter_action_in_use(store, it->name)) return in_use(name->value_at, it->name);
    store.filter_actions.erase(it);
}

// ---- rules -----------------------------------------------------------------

Policy* find_policy(ValueReader& v, PolicyStore& store) {
    const Token* name = v.token("policy");
    if (Policy* p = store.find_policy(name->value)) return p;
    v.diagnostics().error("E-NETSH-NO-SUCH-POLICY", name->value_at,
                          fmt::format("no policy named '{}' exists at this point{}", name->value,
                                      did_you_mean(closest(name->value, policy_names(store)))));
    return nullptr;
}

FilterList* find_list(ValueReader& v, PolicyStore& store) {
    const Token* name = v.token("filterlist");
    if (FilterList* l = store.find_filter_list(name->value)) return l;
    v.diagnostics().error("E-NETSH-NO-SUCH-FILTERLIST", name->value_at,
                          fmt::format("no filter list named '{}' exists at this point (add a filter to it or add "
                                      "filterlist first){}",
                                      name->value, did_you_mean(closest(name->value, filter_list_names(store)))));
    return nullptr;
}

// kerberos, psk and rootca in the order written = preference order (spec §4.1).
struct AuthFields {
    std::vector<AuthMethod> methods;
    bool given = false;
};

AuthFields read_auth(ValueReader& v) {
    AuthFields auth;
    for (const auto& e : v.arguments().in_order) {
        const std::string_view tag = v.arguments().tag_name(e);
        const Token& t = *e.token;
        if (tag == "kerberos") {
            auth.given = true;
            const auto yes = parse_bool(t.value);
            if (!yes) {
                v.diagnostics().error("E-NETSH-BAD-VALUE", t.value_at,
                                      fmt::format("kerberos={}: {}", t.value, yes.error()));
                v.fail();
            } else if (*yes) {
                AuthMethod m;
                m.where = t.at;
                auth.methods.push_back(m);
            }
        } else if (tag == "psk") {
            auth.given = true;
            if (t.value.empty()) {
                v.diagnostics().error("E-NETSH-BAD-VALUE", t.value_at, "psk= needs the pre-shared key");
                v.fail();
                continue;
            }
            AuthMethod m;
            m.kind = AuthKind::PresharedKey;
            m.preshared_key = Secret(t.value);
            m.where = t.at;
            auth.methods.push_back(std::move(m));
        } else if (tag == "rootca") {
            auth.given = true;
            auto m = parse_rootca(t.value);
            if (!m) {
                v.diagnostics().error("E-NETSH-BAD-VALUE", t.value_at, fmt::format("rootca: {}", m.error()));
                v.fail();
                continue;
            }
            m->where = t.at;
            auth.methods.push_back(std::move(*m));
        }
    }
    return auth;
}

void apply_auth(AuthFields auth, Rule& r, ValueReader& v, const SourceLocation& where) {
    if (!auth.given && !r.authentication.empty()) return;
    if (auth.methods.empty()) {
        // No method stated: "dynamic defaults", i.e. Kerberos (spec §4.4).
        if (auth.given)
            v.diagnostics().warning("W-NETSH-NO-AUTHENTICATION", where,
                                    "kerberos=no leaves no authentication method; Windows then uses its default, "
                                    "Kerberos. Give psk= or rootca= for a method Linux can use");
        AuthMethod kerberos;
        kerberos.where = where;
        r.authentication = {kerberos};
        r.authentication_defaulted = true;
        return;
    }
    // Any authentication tag replaces the whole list (spec §4.1, help remark 8).
    r.authentication = std::move(auth.methods);
    r.authentication_defaulted = false;
}

struct RuleFields {
    std::optional<std::optional<FilterAddress>> tunnel;
    std::optional<ConnectionType> conntype;
    std::optional<bool> activate;
    std::optional<std::string> description;
    AuthFields auth;
};

RuleFields read_rule_fields(ValueReader& v) {
    RuleFields f;
    f.tunnel = v.read("tunnel", parse_tunnel);
    if (f.tunnel && *f.tunnel && (*f.tunnel)->kind == AddressKind::DnsName)
        v.diagnostics().warning("W-NETSH-DNS-NAME", v.token("tunnel")->value_at,
                                fmt::format("tunnel endpoint '{}' is a DNS name: Windows resolved it when the "
                                            "command ran; winipsec resolves it when it translates",
                                            (*f.tunnel)->dns_name));
    f.conntype = v.read("conntype", parse_conntype);
    f.activate = v.read("activate", parse_bool);
    f.description = v.text("description");
    f.auth = read_auth(v);
    return f;
}

void apply(RuleFields f, Rule& r, ValueReader& v, const SourceLocation& where) {
    if (f.tunnel) r.tunnel_endpoint = *f.tunnel;
    if (f.conntype) r.connection_type = *f.conntype;
    if (f.activate) r.active = *f.activate;
    if (f.description) r.description = *f.description;
    apply_auth(std::move(f.auth), r, v, where);
}

Rule* find_rule(Policy& p, std::string_view name) {
    for (auto& r : p.rules)
        if (!r.default_response && names_equal(r.name, name)) return &r;
    return nullptr;
}

void duplicate_rule(ValueReader& v, const Token& name, const Policy& p) {
    v.diagnostics().error(
        "E-NETSH-DUPLICATE-NAME", name.value_at,
        fmt::format("policy '{}' already has a rule named '{}'; netsh rejects the command", p.name, name.value));
    v.fail();
}

void add_rule(const Command& command, ValueReader& v, PolicyStore& store) {
    Policy* p = find_policy(v, store);
    FilterList* list = find_list(v, store);
    FilterAction* action = find_action(v, store, "filteraction");
    const Token* name = v.token("name");
    if (p && find_rule(*p, name->value)) duplicate_rule(v, *name, *p);
    RuleFields fields = read_rule_fields(v);
    if (!p || !list || !action || !v.ok()) return;
    Rule r;
    r.name = name->value;
    r.filter_list = list->name;
    r.filter_action = action->name;
    r.where = command.where;
    apply(std::move(fields), r, v, command.where);
    p->rules.push_back(std::move(r));
}

Rule* find_rule_by_name_or_id(ValueReader& v, Policy& p) {
    if (const Token* id = v.token("id")) {
        // `id` counts rules as `show rule` lists them, default response rule aside [I].
        const auto n = v.read("id", [](std::string_view t) { return parse_number(t, 1, 0xFFFFFFFFu); });
        if (!n) return nullptr;
        std::uint32_t k = 0;
        for (auto& r : p.rules)
            if (!r.default_response && ++k == *n) return &r;
        v.diagnostics().error("E-NETSH-NO-SUCH-RULE", id->value_at,
                              fmt::format("policy '{}' has no rule {} (it has {})", p.name, *n, k));
        return nullptr;
    }
    const Token* name = v.token("name");
    if (Rule* r = find_rule(p, name->value)) return r;
    std::vector<std::string> names;
    for (const auto& r : p.rules)
        if (!r.default_response) names.push_back(r.name);
    v.diagnostics().error("E-NETSH-NO-SUCH-RULE", name->value_at,
                          fmt::format("policy '{}' has no rule named '{}'{}", p.name, name->value,
                                      did_you_mean(closest(name->value, names))));
    return nullptr;
}

void set_rule(const Command& command, ValueReader& v, PolicyStore& store) {
    Policy* p = find_policy(v, store);
    Rule* r = p ? find_rule_by_name_or_id(v, *p) : nullptr;
    const FilterList* list = v.token("filterlist") ? find_list(v, store) : nullptr;
    const FilterAction* action = v.token("filteraction") ? find_action(v, store, "filteraction") : nullptr;
    const Token* newname = v.token("newname");
    if (p && r && newname) {
        const Rule* other = find_rule(*p, newname->value);
        if (other && other != r) duplicate_rule(v, *newname, *p);
    }
    RuleFields fields = read_rule_fields(v);
    if (!r || (v.token("filterlist") && !list) || (v.token("filteraction") && !action) || !v.ok()) return;
    if (newname) r->name = newname->value;
    if (list) r->filter_list = list->name;
    if (action) r->filter_action = action->name;
    apply(std::move(fields), *r, v, command.where);
}

void delete_rule(ValueReader& v, PolicyStore& store) {
    const Token* policy = v.token("policy");
    Policy* p = store.find_policy(policy->value);
    if (!p) {
        v.diagnostics().note("N-NETSH-NOTHING-TO-DELETE", policy->value_at,
                             fmt::format("no policy named '{}' exists at this point, so there are no rules to "
                                         "delete (Windows reports an error and the script goes on){}",
                                         policy->value, did_you_mean(closest(policy->value, policy_names(store)))));
        return;
    }
    // The default response rule cannot be deleted (spec §4.2 [I]).
    if (v.token("all")) {
        std::erase_if(p->rules, [](const Rule& r) { return !r.default_response; });
        return;
    }
    if (const Rule* r = find_rule_by_name_or_id(v, *p)) std::erase_if(p->rules, [r](const Rule& x) { return &x == r; });
}

void set_defaultrule(const Command& command, ValueReader& v, PolicyStore& store) {
    Policy* p = find_policy(v, store);
    const auto qmpfs = v.read("qmpfs", parse_bool);
    const auto activate = v.read("activate", parse_bool);
    const auto offers = v.read("qmsecmethods", parse_qmsecmethods);
    AuthFields auth = read_auth(v);
    if (!p || !v.ok()) return;
    Rule* r = p->default_response_rule();
    if (!r) return;  // every netsh-made policy has one; other formats may not
    if (FilterAction* a = r->default_response_action ? &*r->default_response_action : nullptr) {
        if (qmpfs) a->quick_mode_pfs = *qmpfs;
        if (offers) {
            a->offers = *offers;
            a->offers_defaulted = false;
        }
    }
    if (activate) r->active = *activate;
    apply_auth(std::move(auth), *r, v, command.where);
}

}  // namespace

void run_rule_command(CommandId id, const Command& command, ValueReader& v, PolicyStore& store) {
    switch (id) {
        case CommandId::AddFilterAction: return add_filteraction(command, v, store);
        case CommandId::SetFilterAction: return set_filteraction(v, store);
        case CommandId::DeleteFilterAction: return delete_filteraction(command, v, store);
        case CommandId::AddRule: return add_rule(command, v, store);
        case CommandId::SetRule: return set_rule(command, v, store);
        case CommandId::DeleteRule: return delete_rule(v, store);
        case CommandId::SetDefaultRule: return set_defaultrule(command, v, store);
        default: return;
    }
}

}  // namespace winipsec::netsh
