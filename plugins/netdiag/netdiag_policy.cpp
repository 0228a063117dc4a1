#include "plugins/netdiag/netdiag_policy.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "plugins/netdiag/netdiag_codes.hpp"

// How a directional filter keeps its direction. The model has no direction
// field: src/plan derives it from `me` (destination me = inbound, source me =
// outbound, spec §8.2). netdiag prints `me` expanded to the host's address,
// so the host's side of each filter (the destination of an Inbound filter,
// the source of an Outbound one) is read back as `me` when it is one host
// address. Two printed filters that differ only in direction are one filter
// that matches both ways (neither side was `me`) and are imported once, as
// printed. Anything else cannot keep its direction and is reported.
namespace winipsec::listing {
namespace {

bool is_host(const ListedEnd& e) {
    return e.prefix_length == e.address.bit_width() && e.address != IpAddress::any(e.address.family);
}

FilterAddress literal(const ListedEnd& e) {
    // IPv4 0.0.0.0/0 is `any`; an IPv6 ::/0 keeps its family for the plan.
    if (e.prefix_length == 0 && e.address.family == IpFamily::V4) return FilterAddress::any();
    FilterAddress a = FilterAddress::specific(e.address, e.prefix_length);
    a.mask_given = true;
    return a;
}

bool same_except_direction(const ListedFilter& a, const ListedFilter& b) {
    return a.direction != b.direction && a.source == b.source && a.destination == b.destination &&
           a.protocol == b.protocol && a.source_port == b.source_port && a.destination_port == b.destination_port &&
           a.tunnel == b.tunnel && a.action == b.action && a.inbound_passthrough == b.inbound_passthrough &&
           a.fallback_to_clear == b.fallback_to_clear;
}

// What one rule of the imported policy holds: the filters printed with the
// same negotiation policy, action and tunnel.
struct RuleKey {
    std::string policy_id;
    ActionKind action;
    bool inpass, soft;
    std::optional<IpAddress> tunnel;
    auto operator<=>(const RuleKey&) const = default;
};

RuleKey key_of(const ListedFilter& f) {
    return {f.policy_id, f.action, f.inbound_passthrough, f.fallback_to_clear, f.tunnel};
}

std::string action_words(const RuleKey& k) {
    std::string s = to_string(k.action);
    if (k.inpass) s += " inpass";
    if (k.soft) s += " soft";
    if (k.tunnel) s += " tunnel " + k.tunnel->to_string();
    return s;
}

template <class Find>
std::string unique_name(std::string base, Find&& taken) {
    if (!taken(base)) return base;
    for (int n = 2;; ++n) {
        std::string name = fmt::format("{} ({})", base, n);
        if (!taken(name)) return name;
    }
}

std::string guid_in(std::string_view path) {
    const auto open = path.rfind('{');
    const auto close = path.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
    return std::string(path.substr(open, close - open + 1));
}

class PolicyBuilder {
public:
    PolicyBuilder(const NetdiagListing& listing, PolicyStore& store, Diagnostics& d)
        : listing_(listing), store_(store), d_(d) {}

    void build(const SourceLocation& file_start) {
        const SourceLocation where = listing_.policy_name ? listing_.policy_at : listing_.filters.front().where;
        std::string name = listing_.policy_name.value_or("");
        if (name.empty()) {
            name = "netdiag listing";
            d_.warning(code::unnamed_policy, file_start,
                       "the listing names no active policy ('Local IPSec Policy Active: ...'); the filters are "
                       "imported as policy 'netdiag listing'");
        }
        Policy policy;
        policy.name = unique_name(name, [&](const std::string& n) { return store_.find_policy(n) != nullptr; });
        policy.guid = guid_in(listing_.policy_path);
        policy.assigned = true;  // netdiag prints the policy in force
        policy.location = listing_.directory_policy ? StoreLocation::Domain : StoreLocation::Local;
        policy.main_mode.offers = default_main_mode_offers();
        policy.where = where;
        // The default response rule has no filters, so a listing never shows
        // it; it cannot be known whether it was active.
        policy.rules.push_back(make_default_response_rule(where, false));

        check_count();
        place_filters();
        for (auto& group : groups_) add_rule(policy, group);
        report_me();
        store_.policies.push_back(std::move(policy));
    }

private:
    struct Group {
        RuleKey key;
        std::vector<Filter> filters;
        SourceLocation where;
    };

    void check_count() {
        if (listing_.declared_filters && *listing_.declared_filters != listing_.filters.size())
            d_.warning(code::filter_count, listing_.declared_at,
                       fmt::format("the listing says there are {} filters but {} were read; check the file for "
                                   "missing or damaged filter blocks",
                                   *listing_.declared_filters, listing_.filters.size()));
    }

    void place_filters() {
        const auto& fs = listing_.filters;
        std::vector<bool> consumed(fs.size(), false);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < fs.size(); ++i) {
            if (consumed[i]) continue;
            const ListedFilter& l = fs[i];
            Filter f;
            f.mirrored = false;  // each printed filter is one direction already
            f.protocol = l.protocol;
            f.source_port = l.source_port;
            f.destination_port = l.destination_port;
            f.description = l.name == "No Name" ? std::string() : l.name;
            f.where = l.where;
            std::optional<std::size_t> twin;
            for (std::size_t j = i + 1; j < fs.size() && !twin; ++j)
                if (!consumed[j] && same_except_direction(l, fs[j])) twin = j;
            const bool inbound = l.direction == ListedDirection::Inbound;
            const ListedEnd& host = inbound ? l.destination : l.source;
            if (twin) {
                consumed[*twin] = true;
                f.source = literal(l.source);
                f.destination = literal(l.destination);
            } else if (is_host(host)) {
                f.source = inbound ? literal(l.source) : FilterAddress::me();
                f.destination = inbound ? FilterAddress::me() : literal(l.destination);
                if (std::find(host_addresses_.begin(), host_addresses_.end(), host.address) == host_addresses_.end())
                    host_addresses_.push_back(host.address);
                if (!me_at_.known()) me_at_ = l.where;
            } else {
                f.source = literal(l.source);
                f.destination = literal(l.destination);
                d_.warning(code::one_direction, l.where,
                           fmt::format("this filter is printed {} only, but its {} ({}) is not one host address "
                                       "that could stand for `me`; winipsec can only express the direction "
                                       "through `me`, so it is imported matching both directions",
                                       inbound ? "Inbound" : "Outbound", inbound ? "destination" : "source",
                                       literal(host).to_string()));
            }
            const RuleKey key = key_of(l);
            const std::string identity =
                fmt::format("{}|{}|{}|{}|{}|{}|{}", action_words(key), key.policy_id, f.source.to_string(),
                            f.destination.to_string(), f.protocol, f.source_port, f.destination_port);
            if (!seen.insert(identity).second) {
                // A multi-homed host prints one filter per address (spec §8.3).
                d_.note(code::duplicate, l.where,
                        fmt::format("same filter as an earlier one once the host's address is read as `me` "
                                    "({} -> {}); imported once",
                                    f.source.to_string(), f.destination.to_string()));
                continue;
            }
            group_for(key, l.where).filters.push_back(std::move(f));
        }
    }

    Group& group_for(const RuleKey& key, const SourceLocation& where) {
        for (auto& g : groups_)
            if (g.key == key) return g;
        groups_.push_back({key, {}, where});
        return groups_.back();
    }

    void add_rule(Policy& policy, Group& group) {
        const std::string base = group.key.policy_id.empty() ? fmt::format("netdiag {}", action_words(group.key))
                                                             : fmt::format("netdiag {}", group.key.policy_id);
        FilterList list;
        list.name =
            unique_name(base + " filters", [&](const std::string& n) { return store_.find_filter_list(n) != nullptr; });
        list.filters = std::move(group.filters);
        list.where = group.where;

        FilterAction action;
        action.name = unique_name(base + " action",
                                  [&](const std::string& n) { return store_.find_filter_action(n) != nullptr; });
        action.guid = group.key.policy_id;
        action.action = group.key.action;
        action.inbound_passthrough = group.key.inpass;
        action.fallback_to_clear = group.key.soft;
        action.where = group.where;
        if (action.action == ActionKind::Negotiate) {
            action.offers = default_quick_mode_offers();
            action.offers_defaulted = true;
            d_.warning(code::offers_unknown, group.where,
                       "netdiag does not print the security methods of a negotiate action; Windows' default "
                       "offers are assumed (ESP 3DES/DES with SHA1/MD5, then AH) -- check them on the host");
        }

        Rule rule;
        rule.name = base;
        rule.guid = group.key.policy_id;
        rule.filter_list = list.name;
        rule.filter_action = action.name;
        if (group.key.tunnel) {
            FilterAddress endpoint = FilterAddress::specific(*group.key.tunnel, group.key.tunnel->bit_width());
            rule.tunnel_endpoint = endpoint;
        }
        // netdiag prints no authentication; Windows' default is Kerberos.
        AuthMethod kerberos;
        kerberos.where = group.where;
        rule.authentication = {kerberos};
        rule.authentication_defaulted = true;
        rule.where = group.where;

        store_.filter_lists.push_back(std::move(list));
        store_.filter_actions.push_back(std::move(action));
        policy.rules.push_back(std::move(rule));
    }

    void report_me() {
        if (host_addresses_.empty()) return;
        std::string addresses;
        for (const auto& a : host_addresses_)
            addresses += fmt::format("{}{}", addresses.empty() ? "" : ", ", a.to_string());
        std::string me_options;
        for (const auto& a : host_addresses_) me_options += fmt::format(" --me {}", a.to_string());
        d_.note(code::me_expanded, me_at_,
                fmt::format("netdiag prints `me` as the Windows host's address ({}); those filter ends are read "
                            "back as `me`, which stands for this host's addresses here (translate with{} to "
                            "reproduce the Windows host)",
                            addresses, me_options));
    }

    const NetdiagListing& listing_;
    PolicyStore& store_;
    Diagnostics& d_;
    std::vector<Group> groups_;
    std::vector<IpAddress> host_addresses_;
    SourceLocation me_at_;
};

}  // namespace

void add_netdiag_policy(const NetdiagListing& listing, const SourceLocation& file_start, PolicyStore& store,
                        Diagnostics& diagnostics) {
    if (listing.filters.empty()) {
        if (listing.no_policy_assigned)
            diagnostics.note(code::no_policy, listing.no_policy_at,
                             "the Windows host had no IPsec policy assigned; nothing to import");
        else
            diagnostics.error(code::no_filters, listing.policy_name ? listing.policy_at : file_start,
                              "no filter could be read from this netdiag listing; nothing imported");
        return;
    }
    PolicyBuilder(listing, store, diagnostics).build(file_start);
}

}  // namespace winipsec::listing
