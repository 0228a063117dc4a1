#include "plan/expand.hpp"

namespace winipsec::plan {

const char* to_string(Direction d) { return d == Direction::Inbound ? "Inbound" : "Outbound"; }

bool DirectionalFilter::same_match_and_verdict(const DirectionalFilter& o) const {
    return source.to_string() == o.source.to_string() && destination.to_string() == o.destination.to_string() &&
           protocol == o.protocol && source_port == o.source_port && destination_port == o.destination_port &&
           direction == o.direction && action == o.action;
}

namespace {

// `me` on one side fixes the direction: destination me = packets the host
// receives, source me = packets it sends. Without `me` (any<->subnet, say) a
// record matches whichever way the packet goes, so it yields both (§8.2).
std::vector<Direction> directions_of(const FilterAddress& src, const FilterAddress& dst) {
    const bool src_me = src.kind == AddressKind::Me;
    const bool dst_me = dst.kind == AddressKind::Me;
    if (dst_me && !src_me) return {Direction::Inbound};
    if (src_me && !dst_me) return {Direction::Outbound};
    return {Direction::Outbound, Direction::Inbound};
}

std::vector<FilterAddress> concretise(const FilterAddress& a, const ExpandOptions& options) {
    if (a.kind != AddressKind::Me || options.me.empty()) return {a};
    std::vector<FilterAddress> out;
    for (const auto& ip : options.me) out.push_back(FilterAddress::specific(ip, ip.bit_width()));
    return out;
}

void emit(std::vector<DirectionalFilter>& out, DirectionalFilter base, const ExpandOptions& options) {
    for (const auto direction : directions_of(base.source, base.destination)) {
        for (const auto& src : concretise(base.source, options)) {
            for (const auto& dst : concretise(base.destination, options)) {
                DirectionalFilter d = base;
                d.direction = direction;
                d.source = src;
                d.destination = dst;
                bool duplicate = false;
                for (const auto& existing : out)
                    if (existing.same_match_and_verdict(d)) duplicate = true;
                if (!duplicate) out.push_back(std::move(d));
            }
        }
    }
}

}  // namespace

std::vector<DirectionalFilter> expand(const PolicyStore& store, const Policy& policy, const ExpandOptions& options,
                                      Diagnostics& /*diagnostics*/) {
    std::vector<DirectionalFilter> out;
    for (const auto& rule : policy.rules) {
        if (rule.default_response || !rule.active) continue;
        const FilterList* list = store.find_filter_list(rule.filter_list);
        const FilterAction* action = store.find_filter_action(rule.filter_action);
        // Dangling references are reported by check_store; Windows skips such rules.
        if (!list || !action) continue;
        for (const auto& filter : list->filters) {
            DirectionalFilter base;
            base.source = filter.source;
            base.destination = filter.destination;
            base.protocol = filter.protocol;
            base.source_port = filter.source_port;
            base.destination_port = filter.destination_port;
            base.filter = &filter;
            base.filter_list = list;
            base.rule = &rule;
            base.action = action;
            emit(out, base, options);
            if (filter.mirrored) {
                // The mirror swaps addresses, masks AND ports (§8.2, E17).
                DirectionalFilter mirror = base;
                std::swap(mirror.source, mirror.destination);
                std::swap(mirror.source_port, mirror.destination_port);
                mirror.is_mirror = true;
                emit(out, mirror, options);
            }
        }
    }
    return out;
}

}  // namespace winipsec::plan
