#include "plugins/registry/store_resolver.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "plugins/registry/blob_filter.hpp"
#include "plugins/registry/blob_isakmp.hpp"
#include "plugins/registry/blob_negotiation.hpp"
#include "plugins/registry/blob_nfa.hpp"
#include "plugins/registry/blob_policy.hpp"
#include "plugins/registry/blob_site.hpp"
#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"
#include "plugins/registry/store_filter_action.hpp"
#include "plugins/registry/store_filter_list.hpp"
#include "plugins/registry/store_main_mode.hpp"
#include "plugins/registry/store_object_values.hpp"
#include "plugins/registry/store_objects.hpp"
#include "plugins/registry/store_rule.hpp"

namespace winipsec::registry {
namespace {

template <class T>
T* find_by_guid(std::vector<T>& items, const std::string& guid) {
    for (auto& item : items)
        if (!item.guid.empty() && iequals(item.guid, guid)) return &item;
    return nullptr;
}

class StoreResolver {
public:
    StoreResolver(const RegistryTree& tree, PolicyStore& store, Diagnostics& diagnostics)
        : keys_(find_store_keys(tree)), store_(store), diagnostics_(diagnostics) {}

    StoreSummary run() {
        report_other_keys();
        StoreSummary summary;
        summary.settings = read_service_settings();
        summary.objects = keys_.objects.size();
        for (const auto& o : keys_.objects) check_object_values(o, diagnostics_);
        for (const auto& o : keys_.objects)
            if (o.name.kind == StoreClass::Filter) add_filter_list(o);
        for (const auto& o : keys_.objects)
            if (o.name.kind == StoreClass::Negotiation) add_filter_action(o);
        for (const auto& o : keys_.objects)
            if (o.name.kind == StoreClass::Policy) add_policy(o);
        report_unreachable();
        return summary;
    }

private:
    // --- what the store does not use ---

    void report_other_keys() {
        for (const RegistryKey* key : keys_.unrelated)
            diagnostics_.note(code::ignored, key->where,
                              fmt::format("key {} is not part of the IPsec policy store; ignored", key->path));
        for (const RegistryKey* key : keys_.strays)
            diagnostics_.warning(code::unknown_key, key->where,
                                 fmt::format("key {} sits in the IPsec policy store but is no ipsecPolicy, "
                                             "ipsecISAKMPPolicy, ipsecNFA, ipsecNegotiationPolicy or ipsecFilter "
                                             "object; ignored",
                                             key->path));
        for (const RegistryKey* key : keys_.structural)
            if (iends_with(key->path, "\\GPTIPSECPolicy") && !key->values.empty())
                diagnostics_.note(code::store_location, key->where,
                                  "a Group Policy assigns a domain IPsec policy (GPTIPSECPolicy); that policy lives "
                                  "in Active Directory, and only its copy under ...\\IPSec\\Policy\\Cache can be "
                                  "imported; it replaces the local assignment on Windows");
        for (const auto& c : keys_.containers)
            if (!c.location_known)
                diagnostics_.note(code::store_location, c.key ? c.key->where : SourceLocation{},
                                  fmt::format("the objects under {} are read as the local store", c.path));
    }

    std::size_t read_service_settings() {
        std::size_t read = 0;
        for (const RegistryKey* key : keys_.service_keys)
            for (const auto& v : key->values) {
                if (!iequals(v.name, "NoDefaultExempt")) {
                    diagnostics_.note(code::ignored, v.where,
                                      fmt::format("value {} of {} does not change the IPsec policy; ignored",
                                                  v.name.empty() ? "@" : v.name, key->path));
                    continue;
                }
                const auto n = v.dword();
                if (!n || *n > 3) {
                    diagnostics_.warning(code::not_understood, v.where,
                                         "NoDefaultExempt must be a REG_DWORD 0-3 (spec §8.8); ignored");
                    continue;
                }
                store_.no_default_exempt = static_cast<int>(*n);
                ++read;
            }
        return read;
    }

    // --- filter lists and filter actions ---

    std::string display_name(const StoreObject& o) {
        if (auto name = text_value(*o.key, "ipsecName", diagnostics_)) return *name;
        return std::string(o.key->leaf());
    }

    // A name no other object of the store uses (rules refer to lists and
    // actions by name); the same GUID imported again replaces the object.
    template <class T>
    T& place(std::vector<T>& items, T item, const StoreObject& o, const char* what) {
        if (T* same = find_by_guid(items, item.guid)) {
            diagnostics_.note(code::replaced, o.key->where,
                              fmt::format("{} replaces the {} of the same GUID read before", o.key->leaf(), what));
            *same = std::move(item);
            return *same;
        }
        if (std::any_of(items.begin(), items.end(), [&](const T& x) { return names_equal(x.name, item.name); })) {
            const std::string unique = fmt::format("{} {}", item.name, item.guid);
            diagnostics_.warning(code::duplicate_name, o.key->where,
                                 fmt::format("another {} is already named '{}'; this one ({}) is imported as '{}'",
                                             what, item.name, o.key->leaf(), unique));
            item.name = unique;
        }
        items.push_back(std::move(item));
        return items.back();
    }

    void add_filter_list(const StoreObject& o) {
        FilterList list;
        list.name = display_name(o);
        list.description = text_value(*o.key, "description", diagnostics_).value_or("");
        list.guid = o.name.guid.to_string();
        list.where = o.key->where;
        if (const RegistryValue* data = blob_value(o, diagnostics_)) {
            const BlobSite site{*o.key, *data, diagnostics_};
            auto blob = decode_filter_blob(data->data);
            if (!blob) {
                report_blob_error(site, blob.error());
                names_[&o] = list.name;  // rules still name it; store_checks reports them
                return;
            }
            site.report(blob->findings);
            list.filters = to_filters(*blob, site);
        } else {
            names_[&o] = list.name;
            return;
        }
        names_[&o] = place(store_.filter_lists, std::move(list), o, "filter list").name;
    }

    void add_filter_action(const StoreObject& o) {
        const RegistryValue* type = o.key->value("ipsecNegotiationPolicyType");
        const bool default_response = is_default_response_type(type);
        const std::string name = display_name(o);
        names_[&o] = name;
        const RegistryValue* data = blob_value(o, diagnostics_);
        if (!data) return;
        const BlobSite site{*o.key, *data, diagnostics_};
        auto blob = decode_negotiation_blob(data->data);
        if (!blob) return report_blob_error(site, blob.error());
        site.report(blob->findings);
        auto action = to_filter_action(*blob, o.key->value("ipsecNegotiationPolicyAction"), type, site);
        if (!action) return;
        action->name = name;
        action->description = text_value(*o.key, "description", diagnostics_).value_or("");
        action->guid = o.name.guid.to_string();
        if (default_response) {
            default_actions_[&o] = std::move(*action);
            return;
        }
        names_[&o] = place(store_.filter_actions, std::move(*action), o, "filter action").name;
    }

    void report_blob_error(const BlobSite& site, const BlobError& error) {
        diagnostics_.error(
            code::blob, site.at(error.offset),
            fmt::format("{} {}: {}; the object is left out", site.object(), site.value.name, error.message));
    }

    // --- references ---

    // The objects `name` (REG_SZ / REG_MULTI_SZ) of `from` refers to, of class `kind`.
    std::vector<const StoreObject*> follow(const StoreObject& from, std::string_view name, StoreClass kind) {
        std::vector<const StoreObject*> out;
        for (const auto& text : reference_strings(*from.key, name, diagnostics_)) {
            const auto target = parse_object_name(text);
            const StoreObject* found = target && target->kind == kind ? keys_.find(*target, from.container) : nullptr;
            if (!found) {
                diagnostics_.error(
                    code::dangling_reference, from.key->value(name)->where,
                    fmt::format("{} {} names '{}', which is {} in this file; what it refers to is "
                                "left out",
                                from.key->leaf(), name, text,
                                target && target->kind != kind ? fmt::format("not an {} object", class_name(kind))
                                                               : std::string("not")));
                continue;
            }
            reached_.insert(found);
            check_owner(from, *found);
            out.push_back(found);
        }
        return out;
    }

    // Every referenced object lists its owners (ipsecOwnersReference); a
    // store edited by hand may have lost them. Windows follows the forward
    // references, and so does winipsec.
    void check_owner(const StoreObject& owner, const StoreObject& target) {
        const RegistryValue* owners = target.key->value("ipsecOwnersReference");
        if (!owners) return;
        const auto list = owners->strings().value_or(std::vector<std::string>{});
        const bool listed = std::any_of(list.begin(), list.end(), [&](const std::string& s) {
            const auto n = parse_object_name(s);
            return n && *n == owner.name;
        });
        if (!listed)
            diagnostics_.note(code::owner_mismatch, owners->where,
                              fmt::format("{} is used by {}, which its ipsecOwnersReference does not list",
                                          target.key->leaf(), owner.key->leaf()));
    }

    // --- policies and rules ---

    void add_policy(const StoreObject& o) {
        Policy policy;
        policy.name = display_name(o);
        policy.description = text_value(*o.key, "description", diagnostics_).value_or("");
        policy.guid = o.name.guid.to_string();
        policy.where = o.key->where;
        policy.location = keys_.containers[o.container].location;
        if (const RegistryValue* data = blob_value(o, diagnostics_)) {
            const BlobSite site{*o.key, *data, diagnostics_};
            if (auto blob = decode_policy_blob(data->data)) {
                site.report(blob->findings);
                // seconds in the store, minutes in netsh and the model; 0 = 180 minutes (§3.2)
                const std::uint32_t seconds = blob->polling_interval_seconds;
                policy.polling_interval_minutes = seconds == 0 ? 180 : (seconds + 59) / 60;
            } else {
                report_blob_error(site, blob.error());
            }
        }
        const auto isakmp = follow(o, "ipsecISAKMPReference", StoreClass::Isakmp);
        if (!isakmp.empty())
            policy.main_mode = main_mode_of(*isakmp.front());
        else
            policy.main_mode.offers = default_main_mode_offers();
        for (const StoreObject* nfa : follow(o, "ipsecNFAReference", StoreClass::Nfa)) add_rules(*nfa, policy);
        policy.assigned = is_assigned(o);
        place(store_.policies, std::move(policy), o, "policy");
    }

    MainModeSettings main_mode_of(const StoreObject& o) {
        MainModeSettings mm;
        mm.offers = default_main_mode_offers();
        const RegistryValue* data = blob_value(o, diagnostics_);
        if (!data) return mm;
        const BlobSite site{*o.key, *data, diagnostics_};
        auto blob = decode_isakmp_blob(data->data);
        if (!blob) {
            report_blob_error(site, blob.error());
            return mm;
        }
        return to_main_mode(*blob, site);
    }

    void add_rules(const StoreObject& nfa, Policy& policy) {
        const RegistryValue* data = blob_value(nfa, diagnostics_);
        if (!data) return;
        const BlobSite site{*nfa.key, *data, diagnostics_};
        auto blob = decode_nfa_blob(data->data);
        if (!blob) return report_blob_error(site, blob.error());

        const auto actions = follow(nfa, "ipsecNegotiationPolicyReference", StoreClass::Negotiation);
        const auto lists = follow(nfa, "ipsecFilterReference", StoreClass::Filter);
        if (actions.empty()) {
            diagnostics_.error(
                code::dangling_reference, nfa.key->where,
                fmt::format("{} has no usable ipsecNegotiationPolicyReference; the rule is left out", nfa.key->leaf()));
            return;
        }
        const StoreObject& action = *actions.front();
        Rule rule;
        rule.guid = nfa.name.guid.to_string();
        rule.description = text_value(*nfa.key, "description", diagnostics_).value_or("");
        rule.where = nfa.key->where;
        if (const auto it = default_actions_.find(&action); it != default_actions_.end()) {
            // the default response rule (§1, §8.7): no filter list, the policy's own action
            rule = make_default_response_rule(nfa.key->where, true);
            rule.guid = nfa.name.guid.to_string();
            rule.default_response_action = it->second;
            rule.default_response_action->name = rule.name;
            apply_nfa(*blob, site, rule);
            if (!lists.empty())
                diagnostics_.warning(code::not_understood, nfa.key->where,
                                     fmt::format("{} is a default response rule but names a filter list; the list is "
                                                 "ignored",
                                                 nfa.key->leaf()));
            policy.rules.push_back(std::move(rule));
            return;
        }
        apply_nfa(*blob, site, rule);
        rule.filter_action = names_[&action];
        if (lists.empty()) {
            diagnostics_.error(code::dangling_reference, nfa.key->where,
                               fmt::format("{} names no filter list and is no default response rule; the rule is "
                                           "left out",
                                           nfa.key->leaf()));
            return;
        }
        if (lists.size() > 1)
            diagnostics_.note(code::several_lists, nfa.key->where,
                              fmt::format("{} applies {} filter lists; it is imported as one rule per list",
                                          nfa.key->leaf(), lists.size()));
        const auto nfa_name = text_value(*nfa.key, "ipsecName", diagnostics_);
        for (const StoreObject* list : lists) {
            Rule r = rule;
            r.filter_list = names_[list];
            // Rules have no name of their own in the MMC, which shows the filter list's.
            r.name = nfa_name ? (lists.size() > 1 ? fmt::format("{} ({})", *nfa_name, r.filter_list) : *nfa_name)
                              : r.filter_list;
            policy.rules.push_back(std::move(r));
        }
    }

    // ActivePolicy on the container key names the assigned policy (§2.1). A
    // Cache container holds the copy of the domain-assigned policy, which is
    // in force whatever else is assigned (§8.1).
    bool is_assigned(const StoreObject& policy) {
        const StoreContainer& c = keys_.containers[policy.container];
        if (!c.key) return false;
        if (const auto active = text_value(*c.key, "ActivePolicy", diagnostics_)) {
            const auto name = parse_object_name(*active);
            const StoreObject* found =
                name && name->kind == StoreClass::Policy ? keys_.find(*name, policy.container) : nullptr;
            if (!found && reported_active_.insert(policy.container).second)
                diagnostics_.warning(code::no_active_policy, c.key->value("ActivePolicy")->where,
                                     fmt::format("ActivePolicy names '{}', which is not in this file: no policy of "
                                                 "{} is assigned",
                                                 *active, c.path));
            return found == &policy;
        }
        if (c.location != StoreLocation::Domain) return false;
        const auto policies = std::count_if(keys_.objects.begin(), keys_.objects.end(), [&](const StoreObject& x) {
            return x.container == policy.container && x.name.kind == StoreClass::Policy;
        });
        if (policies == 1 && reported_active_.insert(policy.container).second)
            diagnostics_.note(code::store_location, policy.key->where,
                              fmt::format("{} is the cached copy of the domain policy; taken as assigned by Group "
                                          "Policy",
                                          policy.key->leaf()));
        return policies == 1;
    }

    void report_unreachable() {
        for (const auto& o : keys_.objects)
            if ((o.name.kind == StoreClass::Nfa || o.name.kind == StoreClass::Isakmp) && !reached_.contains(&o))
                diagnostics_.note(code::unreachable, o.key->where,
                                  fmt::format("{} belongs to no policy in this file; not imported", o.key->leaf()));
    }

    StoreKeys keys_;
    PolicyStore& store_;
    Diagnostics& diagnostics_;
    std::map<const StoreObject*, std::string> names_;  // model names of lists and actions
    std::map<const StoreObject*, FilterAction> default_actions_;
    std::set<const StoreObject*> reached_;
    std::set<std::size_t> reported_active_;
};

}  // namespace

StoreSummary apply_registry_store(const RegistryTree& tree, PolicyStore& store, Diagnostics& diagnostics) {
    return StoreResolver(tree, store, diagnostics).run();
}

}  // namespace winipsec::registry
