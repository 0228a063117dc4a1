#include "plan/build_plan.hpp"
#include "plan/counterpart.hpp"

#include <span>

#include <fmt/format.h>

#include "plan/address_resolution.hpp"
#include "plan/lint.hpp"
#include "plan/order.hpp"

namespace winipsec::plan {

const char* to_string(Direction d) {
    return d == Direction::Inbound ? "inbound" : "outbound";
}

std::string Verdict::name_for(Direction direction) const {
    switch (action) {
        case ActionKind::Block: return "block";
        case ActionKind::Permit: return "permit";
        case ActionKind::Negotiate:
            // inpass only changes what happens to clear INBOUND packets; soft
            // lets clear traffic through both ways once IKE went unanswered.
            if (direction == Direction::Inbound && inbound_passthrough) return "negotiate-inpass";
            if (fallback_to_clear) return "negotiate-soft";
            return "negotiate";
    }
    return "?";
}

std::string PlanRule::origin() const {
    return fmt::format("policy '{}' rule '{}' filter list '{}' at {}{}", policy ? policy->name : "?",
                       rule ? rule->name : "?", filter_list ? filter_list->name : "?",
                       filter ? filter->where.to_string() : "?", is_mirror ? " (mirrored)" : "");
}

namespace {

class PlanBuilder {
public:
    PlanBuilder(const PolicyStore& store, const PlanOptions& options, Diagnostics& diagnostics)
        : store_(store), options_(options), diagnostics_(diagnostics), resolver_(options, diagnostics) {}

    void add_policy(const Policy& policy, Plan& plan) {
        for (const auto& rule : policy.rules) {
            if (rule.default_response) {
                if (rule.active)
                    diagnostics_.warning("W-PLAN-DEFAULT-RESPONSE", rule.where,
                                         fmt::format("policy '{}' activates the default response rule: Linux has "
                                                     "no equivalent (it answers IKE for unfiltered traffic, with "
                                                     "Kerberos by default; Vista and later ignore it) -- skipped",
                                                     policy.name));
                continue;
            }
            if (!rule.active) continue;
            const FilterList* list = store_.find_filter_list(rule.filter_list);
            const FilterAction* action = store_.find_filter_action(rule.filter_action);
            if (!list || !action) continue;  // reported by check_store; Windows skips the rule
            add_rule(policy, rule, *list, *action, plan);
        }
    }

    std::optional<IpAddress> tunnel_endpoint(const Rule& rule) {
        if (!rule.tunnel_endpoint) return std::nullopt;
        const auto prefixes = resolver_.resolve(*rule.tunnel_endpoint, rule.where, IpFamily::V4);
        if (prefixes.empty()) {
            diagnostics_.error("E-PLAN-TUNNEL-ENDPOINT", rule.where,
                               fmt::format("rule '{}': tunnel endpoint {} stands for no address", rule.name,
                                           rule.tunnel_endpoint->to_string()));
            return std::nullopt;
        }
        if (prefixes.size() > 1)
            diagnostics_.warning("W-PLAN-TUNNEL-ENDPOINT", rule.where,
                                 fmt::format("rule '{}': tunnel endpoint {} has several addresses; using {}", rule.name,
                                             rule.tunnel_endpoint->to_string(), prefixes.front().address.to_string()));
        return prefixes.front().address;
    }

    void add_rule(const Policy& policy, const Rule& rule, const FilterList& list, const FilterAction& action,
                  Plan& plan) {
        if (rule.connection_type != ConnectionType::All)
            diagnostics_.warning(
                "W-PLAN-CONNECTION-TYPE", rule.where,
                fmt::format("rule '{}' applies only to {} interfaces on Windows; winipsec does not "
                            "match interface classes yet and applies it on every interface",
                            rule.name, rule.connection_type == ConnectionType::Lan ? "LAN" : "dial-up"));
        const auto endpoint = tunnel_endpoint(rule);
        if (rule.tunnel_endpoint && !endpoint) return;
        for (const auto& filter : list.filters) add_filter(policy, rule, list, action, filter, endpoint, plan.rules);
    }

    // The records of one filter under one rule, appended to `out`.
    void add_filter(const Policy& policy, const Rule& rule, const FilterList& list, const FilterAction& action,
                    const Filter& filter, const std::optional<IpAddress>& endpoint, std::vector<PlanRule>& out) {
        PlanRule base;
        base.verdict = Verdict{action.action, action.inbound_passthrough, action.fallback_to_clear};
        base.tunnel_endpoint = endpoint;
        base.connection_type = rule.connection_type;
        base.policy = &policy;
        base.rule = &rule;
        base.filter_list = &list;
        base.filter = &filter;
        base.action = &action;
        add_record(base, filter, filter.source, filter.destination, filter.source_port, filter.destination_port,
                   filter.protocol, out);
        if (filter.mirrored) {
            // The mirror swaps addresses, masks AND ports (spec §8.2, E17).
            base.is_mirror = true;
            add_record(base, filter, filter.destination, filter.source, filter.destination_port, filter.source_port,
                       filter.protocol, out);
        }
    }

private:
    // `me` fixes the direction: destination me = packets the host receives,
    // source me = packets it sends; with neither (or both) the record matches
    // whichever way a packet goes (spec §8.2).
    static std::span<const Direction> directions_of(const FilterAddress& src, const FilterAddress& dst) {
        static constexpr Direction inbound[] = {Direction::Inbound};
        static constexpr Direction outbound[] = {Direction::Outbound};
        static constexpr Direction both[] = {Direction::Outbound, Direction::Inbound};
        const bool src_me = src.kind == AddressKind::Me;
        const bool dst_me = dst.kind == AddressKind::Me;
        if (dst_me && !src_me) return inbound;
        if (src_me && !dst_me) return outbound;
        return both;
    }

    void add_record(const PlanRule& base, const Filter& filter, const FilterAddress& src, const FilterAddress& dst,
                    std::uint16_t sport, std::uint16_t dport, std::uint8_t protocol, std::vector<PlanRule>& out) {
        const auto src_family = AddressResolver::family_of(src);
        const auto dst_family = AddressResolver::family_of(dst);
        if (src_family && dst_family && *src_family != *dst_family) {
            diagnostics_.error("E-PLAN-FAMILY-MISMATCH", filter.where,
                               fmt::format("filter {} -> {} mixes IPv4 and IPv6; it can match nothing", src.to_string(),
                                           dst.to_string()));
            return;
        }
        const IpFamily family = src_family ? *src_family : dst_family ? *dst_family : IpFamily::V4;
        resolver_.resolve_into(src, filter.where, family, sources_);
        resolver_.resolve_into(dst, filter.where, family, destinations_);
        for (const auto direction : directions_of(src, dst)) {
            for (const auto& s : sources_) {
                for (const auto& d : destinations_) {
                    PlanRule r = base;
                    r.direction = direction;
                    r.selector = Selector{s, d, protocol, sport, dport};
                    out.push_back(std::move(r));
                }
            }
        }
    }

    const PolicyStore& store_;
    const PlanOptions& options_;
    Diagnostics& diagnostics_;
    AddressResolver resolver_;
    std::vector<Prefix> sources_, destinations_;  // reused per record
};

const Policy* select_policy(const PolicyStore& store, const PlanOptions& options, Diagnostics& diagnostics) {
    if (!options.policy_name.empty()) {
        const Policy* p = store.find_policy(options.policy_name);
        if (!p)
            diagnostics.error("E-PLAN-NO-SUCH-POLICY", {},
                              fmt::format("no static policy named '{}' in the input", options.policy_name));
        return p;
    }
    const Policy* assigned = store.assigned_policy();
    if (assigned && assigned->location == StoreLocation::Domain) {
        for (const auto& p : store.policies)
            if (&p != assigned && p.assigned && p.origin == Origin::Static)
                diagnostics.note("N-PLAN-DOMAIN-OVERRIDES", p.where,
                                 fmt::format("the domain policy '{}' replaces the local policy '{}' entirely "
                                             "(no merge, KB 813878)",
                                             assigned->name, p.name));
    }
    return assigned;
}

}  // namespace

std::vector<PlanRule> filter_records(const PolicyStore& store, const Policy& policy, const Rule& rule,
                                     const FilterList& list, const FilterAction& action, const Filter& filter,
                                     const PlanOptions& options, Diagnostics& diagnostics) {
    PlanBuilder builder(store, options, diagnostics);
    std::vector<PlanRule> out;
    const auto endpoint = builder.tunnel_endpoint(rule);
    if (rule.tunnel_endpoint && !endpoint) return out;
    builder.add_filter(policy, rule, list, action, filter, endpoint, out);
    return out;
}

Plan build_plan(const PolicyStore& store, const PlanOptions& options, Diagnostics& diagnostics) {
    if (options.counterpart_of) {
        PlanOptions windows_host = options;
        windows_host.me = {*options.counterpart_of};
        windows_host.counterpart_of.reset();
        return counterpart_plan(build_plan(store, windows_host, diagnostics), options.me, options.tie_break,
                                diagnostics);
    }
    Plan plan;
    plan.me = options.me;
    plan.fragments = options.fragments;
    plan.no_default_exempt = options.no_default_exempt ? *options.no_default_exempt
                             : store.no_default_exempt ? *store.no_default_exempt
                                                       : default_no_default_exempt(options.windows_version);
    plan.exemptions = exemptions_for(plan.no_default_exempt);
    plan.policy = select_policy(store, options, diagnostics);

    PlanBuilder builder(store, options, diagnostics);
    if (plan.policy) builder.add_policy(*plan.policy, plan);
    for (const auto& p : store.policies) {
        if (p.origin != Origin::Dynamic) continue;
        if (options.include_dynamic)
            builder.add_policy(p, plan);
        else
            diagnostics.note(
                "N-PLAN-DYNAMIC-SKIPPED", p.where,
                fmt::format("dynamic (volatile) policy '{}' is not translated; --include-dynamic adds it", p.name));
    }

    order_rules(plan, options.tie_break, diagnostics);
    find_ambiguous_overlaps(plan, options.tie_break, diagnostics);
    for (const auto& r : plan.rules) plan.depends_on_ports |= r.selector.has_ports();
    if (plan.depends_on_ports) {
        // Non-first fragments carry no ports: a port filter cannot see them
        // (spec §8.2; linux-targets §4.6, §5.7).
        const SourceLocation where = plan.policy ? plan.policy->where : SourceLocation{};
        switch (options.fragments) {
            case FragmentRule::Reassemble:
                diagnostics.note("N-PLAN-FRAGMENTS", where,
                                 "filters use ports; fragments are reassembled before filtering so they see them "
                                 "(--fragments)");
                break;
            case FragmentRule::BlockNonFirst:
                diagnostics.note("N-PLAN-FRAGMENTS", where,
                                 "filters use ports; non-first fragments that a port-specific block could match are "
                                 "dropped (--fragments block)");
                break;
            case FragmentRule::Ignore:
                diagnostics.warning("W-PLAN-FRAGMENTS", where,
                                    "filters use ports, and with --fragments ignore non-first fragments pass every "
                                    "port-specific filter: a blocked port is reachable with fragmented packets");
                break;
        }
    }
    lint_plan(plan, diagnostics);
    return plan;
}

}  // namespace winipsec::plan
