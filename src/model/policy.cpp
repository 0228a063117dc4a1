#include "model/policy.hpp"

#include <algorithm>
#include <cctype>

namespace winipsec {

bool names_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Rule make_default_response_rule(const SourceLocation& where, bool active) {
    Rule r;
    r.name = "Default Response";
    r.default_response = true;
    r.active = active;
    FilterAction a;
    a.name = r.name;
    a.action = ActionKind::Negotiate;
    a.offers = default_quick_mode_offers();
    a.offers_defaulted = true;
    a.where = where;
    r.default_response_action = a;
    AuthMethod kerberos;
    kerberos.kind = AuthKind::Kerberos;
    kerberos.where = where;
    r.authentication = {kerberos};
    r.authentication_defaulted = true;
    r.where = where;
    return r;
}

Rule* Policy::default_response_rule() {
    for (auto& r : rules)
        if (r.default_response) return &r;
    return nullptr;
}

const Rule* Policy::default_response_rule() const {
    return const_cast<Policy*>(this)->default_response_rule();
}

namespace {
template <class T>
T* find_named(std::vector<T>& items, std::string_view name) {
    for (auto& item : items)
        if (names_equal(item.name, name)) return &item;
    return nullptr;
}
}  // namespace

Policy* PolicyStore::find_policy(std::string_view name, Origin origin) {
    for (auto& p : policies)
        if (p.origin == origin && names_equal(p.name, name)) return &p;
    return nullptr;
}
const Policy* PolicyStore::find_policy(std::string_view name, Origin origin) const {
    return const_cast<PolicyStore*>(this)->find_policy(name, origin);
}
FilterList* PolicyStore::find_filter_list(std::string_view name) {
    return find_named(filter_lists, name);
}
const FilterList* PolicyStore::find_filter_list(std::string_view name) const {
    return const_cast<PolicyStore*>(this)->find_filter_list(name);
}
FilterAction* PolicyStore::find_filter_action(std::string_view name) {
    return find_named(filter_actions, name);
}
const FilterAction* PolicyStore::find_filter_action(std::string_view name) const {
    return const_cast<PolicyStore*>(this)->find_filter_action(name);
}

const Policy* PolicyStore::assigned_policy() const {
    const Policy* local = nullptr;
    for (const auto& p : policies) {
        if (p.origin != Origin::Static || !p.assigned) continue;
        if (p.location == StoreLocation::Domain) return &p;
        if (!local) local = &p;
    }
    return local;
}

const char* to_string(Origin origin) {
    return origin == Origin::Static ? "static" : "dynamic";
}

const char* to_string(StoreLocation location) {
    switch (location) {
        case StoreLocation::Local: return "local";
        case StoreLocation::Domain: return "domain";
        case StoreLocation::Persistent: return "persistent";
    }
    return "?";
}

const char* to_string(ActionKind kind) {
    switch (kind) {
        case ActionKind::Permit: return "permit";
        case ActionKind::Block: return "block";
        case ActionKind::Negotiate: return "negotiate";
    }
    return "?";
}

const char* to_string(AuthKind kind) {
    switch (kind) {
        case AuthKind::Kerberos: return "kerberos";
        case AuthKind::PresharedKey: return "psk";
        case AuthKind::Certificate: return "certificate";
    }
    return "?";
}

const char* to_string(ConnectionType type) {
    switch (type) {
        case ConnectionType::All: return "all";
        case ConnectionType::Lan: return "lan";
        case ConnectionType::Dialup: return "dialup";
    }
    return "?";
}

}  // namespace winipsec
