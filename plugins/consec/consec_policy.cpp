#include "plugins/consec/consec_policy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plugins/consec/consec_codes.hpp"
#include "plugins/consec/consec_values.hpp"

namespace winipsec::consec {
namespace {

// A consec rule expands to the product of its lists; beyond this the input is
// more likely a mistake than a policy.
constexpr std::size_t max_filters_per_rule = 4096;

template <class Taken>
std::string unique_name(const std::string& base, Taken&& taken) {
    if (!taken(base)) return base;
    for (int n = 2;; ++n)
        if (std::string name = fmt::format("{} ({})", base, n); !taken(name)) return name;
}

bool belongs_to(const Rule& r, std::string_view consec_name) {
    return names_equal(r.name, consec_name) || names_equal(r.name, fmt::format("{} (outbound)", consec_name)) ||
           names_equal(r.name, fmt::format("{} (inbound)", consec_name));
}

}  // namespace

Policy& ConsecPolicy::policy(const SourceLocation& where) {
    if (!policy_index_) {
        for (std::size_t i = 0; i < store_.policies.size(); ++i)
            if (store_.policies[i].origin == Origin::Static && names_equal(store_.policies[i].name, policy_name))
                policy_index_ = i;
    }
    if (!policy_index_) {
        Policy p;
        p.name = std::string(policy_name);
        p.description = "connection security rules (netsh advfirewall consec)";
        p.main_mode.offers = default_main_mode_offers();
        p.where = where;
        // WFAS has no default response rule (spec §11.3); an inactive one
        // keeps the model's "every policy has one" invariant.
        p.rules.push_back(make_default_response_rule(where, false));
        store_.policies.push_back(std::move(p));
        policy_index_ = store_.policies.size() - 1;
    }
    return store_.policies[*policy_index_];
}

std::vector<Filter> ConsecPolicy::filters(const std::vector<FilterAddress>& from,
                                          const std::vector<std::uint16_t>& from_ports,
                                          const std::vector<FilterAddress>& to,
                                          const std::vector<std::uint16_t>& to_ports, const ConsecRule& rule,
                                          bool mirrored) {
    static const std::vector<std::uint16_t> any_port = {0};
    const auto& fp = from_ports.empty() ? any_port : from_ports;
    const auto& tp = to_ports.empty() ? any_port : to_ports;
    std::vector<Filter> out;
    for (const auto& a : from)
        for (const auto& b : to)
            for (const auto p : fp)
                for (const auto q : tp) {
                    Filter f;
                    f.source = a;
                    f.destination = b;
                    f.protocol = rule.protocol;
                    f.source_port = p;
                    f.destination_port = q;
                    f.mirrored = mirrored;
                    f.where = rule.where;
                    out.push_back(std::move(f));
                }
    return out;
}

FilterAction ConsecPolicy::action_for(const ConsecRule& rule) {
    FilterAction a;
    a.name = unique_name(fmt::format("consec {} action", rule.name),
                         [&](const std::string& n) { return store_.find_filter_action(n) != nullptr; });
    a.description = fmt::format("action of connection security rule '{}'", rule.name);
    a.where = rule.where;
    switch (rule.action) {
        case ConsecAction::RequireInRequireOut: a.action = ActionKind::Negotiate; break;
        case ConsecAction::RequireInRequestOut:
            a.action = ActionKind::Negotiate;
            a.fallback_to_clear = true;
            break;
        case ConsecAction::RequestInRequestOut:
            a.action = ActionKind::Negotiate;
            a.inbound_passthrough = true;
            a.fallback_to_clear = true;
            break;
        case ConsecAction::NoAuthentication: a.action = ActionKind::Permit; break;
    }
    if (a.action != ActionKind::Negotiate) return a;
    a.quick_mode_pfs = rule.quick_mode_pfs;
    a.offers = rule.offers;
    if (a.offers.empty()) {
        a.offers = default_quick_mode_offers();
        a.offers_defaulted = true;
        if (!defaults_noted_) {
            defaults_noted_ = true;
            d_.note(code::default_methods, rule.where,
                    "a rule without qmsecmethods uses Windows' defaults; winipsec takes the legacy default offers "
                    "(ESP 3DES/DES with SHA1/MD5, then AH), which differ from Windows Firewall's on newer releases "
                    "-- give qmsecmethods to be exact");
        }
    }
    return a;
}

void ConsecPolicy::add_legacy_rule(const ConsecRule& rule, std::string name, std::vector<Filter> filters,
                                   const std::string& action, std::optional<FilterAddress> tunnel) {
    FilterList list;
    list.name = unique_name(fmt::format("consec {}", name),
                            [&](const std::string& n) { return store_.find_filter_list(n) != nullptr; });
    list.description = fmt::format("endpoints of connection security rule '{}'", rule.name);
    list.filters = std::move(filters);
    list.where = rule.where;

    Rule r;
    r.name = std::move(name);
    r.description = rule.description;
    r.filter_list = list.name;
    r.filter_action = action;
    r.active = rule.enabled;
    r.tunnel_endpoint = std::move(tunnel);
    r.connection_type = rule.connection_type;
    r.authentication = rule.authentication;
    if (r.authentication.empty()) {
        // Windows Firewall's default first authentication is computer Kerberos.
        AuthMethod kerberos;
        kerberos.where = rule.where;
        r.authentication = {kerberos};
        r.authentication_defaulted = true;
    }
    r.where = rule.where;
    store_.filter_lists.push_back(std::move(list));
    policy(rule.where).rules.push_back(std::move(r));
}

void ConsecPolicy::add_rule(const ConsecRule& rule) {
    Policy& p = policy(rule.where);
    if (std::any_of(p.rules.begin(), p.rules.end(), [&](const Rule& r) { return belongs_to(r, rule.name); }))
        d_.warning(code::duplicate_name, rule.where,
                   fmt::format("a connection security rule named '{}' exists already; Windows keeps both, and so "
                               "does winipsec (`delete rule name={}` removes both)",
                               rule.name, rule.name));
    const bool tunnel = rule.tunnel && rule.action != ConsecAction::NoAuthentication;
    const std::size_t ports1 = std::max<std::size_t>(1, rule.port1.size());
    const std::size_t ports2 = std::max<std::size_t>(1, rule.port2.size());
    const std::size_t count = rule.endpoint1.size() * rule.endpoint2.size() * ports1 * ports2;
    if (count > max_filters_per_rule) {
        d_.error(code::too_many_filters, rule.where,
                 fmt::format("rule '{}' would need {} legacy filters (addresses x ports); more than {} is refused",
                             rule.name, count, max_filters_per_rule));
        return;
    }
    FilterAction action = action_for(rule);
    const std::string action_name = action.name;
    store_.filter_actions.push_back(std::move(action));
    if (tunnel) {
        add_legacy_rule(rule, fmt::format("{} (outbound)", rule.name),
                        filters(rule.endpoint1, rule.port1, rule.endpoint2, rule.port2, rule, false), action_name,
                        rule.remote_tunnel_endpoint);
        add_legacy_rule(rule, fmt::format("{} (inbound)", rule.name),
                        filters(rule.endpoint2, rule.port2, rule.endpoint1, rule.port1, rule, false), action_name,
                        rule.local_tunnel_endpoint);
    } else {
        add_legacy_rule(rule, rule.name, filters(rule.endpoint1, rule.port1, rule.endpoint2, rule.port2, rule, true),
                        action_name, std::nullopt);
    }
    ++rules_added_;
}

void ConsecPolicy::delete_rules(std::string_view name, const SourceLocation& where) {
    Policy& p = policy(where);
    const bool all = iequals(name, "all");
    std::vector<std::string> lists, actions;
    const auto removed = std::erase_if(p.rules, [&](const Rule& r) {
        if (r.default_response || !(all || belongs_to(r, name))) return false;
        lists.push_back(r.filter_list);
        actions.push_back(r.filter_action);
        return true;
    });
    if (removed == 0) {
        d_.warning(
            code::delete_nothing, where,
            fmt::format("no connection security rule named '{}' to delete (netsh reports \"No rules match\")", name));
        return;
    }
    // Every list and action was made for its rule alone, so they go too.
    std::erase_if(store_.filter_lists, [&](const FilterList& l) {
        return std::any_of(lists.begin(), lists.end(), [&](const std::string& n) { return names_equal(n, l.name); });
    });
    std::erase_if(store_.filter_actions, [&](const FilterAction& a) {
        const bool named =
            std::any_of(actions.begin(), actions.end(), [&](const std::string& n) { return names_equal(n, a.name); });
        const bool still_used = std::any_of(p.rules.begin(), p.rules.end(),
                                            [&](const Rule& r) { return names_equal(r.filter_action, a.name); });
        return named && !still_used;
    });
}

void ConsecPolicy::set_main_mode_offers(std::vector<MainModeOffer> offers, const SourceLocation& where) {
    policy(where).main_mode.offers = std::move(offers);
}

void ConsecPolicy::set_main_mode_lifetime(std::uint32_t seconds, std::uint32_t quick_modes,
                                          const SourceLocation& where) {
    MainModeSettings& mm = policy(where).main_mode;
    mm.lifetime_seconds = seconds;
    mm.quick_modes_per_main_mode = quick_modes;
}

void ConsecPolicy::finish() {
    if (!policy_index_) return;
    Policy& ours = store_.policies[*policy_index_];
    const Policy* other = nullptr;
    for (const auto& p : store_.policies)
        if (&p != &ours && p.origin == Origin::Static && p.assigned) other = &p;
    ours.assigned = other == nullptr;
    if (other)
        d_.warning(code::not_assigned, ours.where,
                   fmt::format("policy '{}' is assigned already, so the connection security rules ('{}') are not "
                               "the policy translated; choose them with --policy \"{}\"",
                               other->name, ours.name, ours.name));
}

}  // namespace winipsec::consec
