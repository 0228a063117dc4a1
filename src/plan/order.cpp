#include "plan/order.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

namespace winipsec::plan {
namespace {

int action_rank(const Verdict& v) {
    switch (v.action) {
        case ActionKind::Block: return 2;
        case ActionKind::Permit: return 1;
        case ActionKind::Negotiate: return 0;
    }
    return 0;
}

auto shape_key(const PlanRule& r) {
    return std::make_tuple(r.direction, r.selector.source.family(), r.selector.source.length,
                           r.selector.destination.length, r.selector.protocol != 0, r.selector.source_port != 0,
                           r.selector.destination_port != 0, r.verdict);
}

// Larger = more specific = consulted earlier.
auto specificity(const Weight& w, TieBreak t) {
    return t == TieBreak::Address ? std::make_tuple(w.address_bits, w.protocol, w.ports)
                                  : std::make_tuple(w.protocol, w.ports, w.address_bits);
}

Selector intersection(const Selector& a, const Selector& b) {
    Selector s;
    s.source = a.source.length >= b.source.length ? a.source : b.source;
    s.destination = a.destination.length >= b.destination.length ? a.destination : b.destination;
    s.protocol = a.protocol ? a.protocol : b.protocol;
    s.source_port = a.source_port ? a.source_port : b.source_port;
    s.destination_port = a.destination_port ? a.destination_port : b.destination_port;
    return s;
}

// Rules are plain values: moving one into the kept list leaves the original
// readable, which the duplicate report below relies on.
static_assert(std::is_trivially_copyable_v<PlanRule>);

std::uint64_t identity_hash(const PlanRule& r) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
    };
    const auto& s = r.selector;
    const std::size_t width = s.source.family() == IpFamily::V4 ? 4 : 16;
    mix(s.source.address.bytes.data(), width);
    mix(s.destination.address.bytes.data(), width);
    const std::uint8_t small[] = {static_cast<std::uint8_t>(r.direction), static_cast<std::uint8_t>(s.source.length),
                                  static_cast<std::uint8_t>(s.destination.length), s.protocol};
    mix(small, sizeof small);
    const std::uint16_t ports[] = {s.source_port, s.destination_port};
    mix(ports, sizeof ports);
    return h;
}

// Larger key = consulted earlier. From the top: the specificity tuple of the
// tie-break (address bits 9 bits, protocol 1, ports 2, in tie-break order),
// the action rank (2), then the shape so that rules of one shape sit together
// (direction, family, both prefix lengths, port/protocol flags, verdict).
std::uint64_t sort_key(const PlanRule& r, TieBreak t) {
    const Weight& w = r.weight;
    std::uint64_t k = 0;
    auto put = [&k](std::uint64_t value, int bits) { k = (k << bits) | (value & ((1ULL << bits) - 1)); };
    if (t == TieBreak::Address) {
        put(static_cast<std::uint64_t>(w.address_bits), 9);
        put(static_cast<std::uint64_t>(w.protocol), 1);
        put(static_cast<std::uint64_t>(w.ports), 2);
    } else {
        put(static_cast<std::uint64_t>(w.protocol), 1);
        put(static_cast<std::uint64_t>(w.ports), 2);
        put(static_cast<std::uint64_t>(w.address_bits), 9);
    }
    put(static_cast<std::uint64_t>(w.action_rank), 2);
    // Shape: any fixed order works; inverted so that ties keep a stable layout.
    const Selector& s = r.selector;
    put(r.direction == Direction::Inbound ? 1 : 0, 1);
    put(s.source.family() == IpFamily::V4 ? 1 : 0, 1);
    put(static_cast<std::uint64_t>(s.source.length), 8);
    put(static_cast<std::uint64_t>(s.destination.length), 8);
    put(s.protocol != 0, 1);
    put(s.source_port != 0, 1);
    put(s.destination_port != 0, 1);
    put(r.verdict.inbound_passthrough, 1);
    put(r.verdict.fallback_to_clear, 1);
    return k;
}

}  // namespace

bool same_shape(const PlanRule& a, const PlanRule& b) {
    return shape_key(a) == shape_key(b);
}

Weight weight_of(const Selector& s, const Verdict& v) {
    Weight w;
    w.address_bits = s.source.length + s.destination.length;
    w.protocol = s.protocol != 0 ? 1 : 0;
    w.ports = (s.source_port != 0 ? 1 : 0) + (s.destination_port != 0 ? 1 : 0);
    w.action_rank = action_rank(v);
    return w;
}

bool consulted_before(const PlanRule& a, const PlanRule& b, TieBreak t) {
    const auto sa = specificity(a.weight, t), sb = specificity(b.weight, t);
    if (sa != sb) return sa > sb;
    if (a.weight.action_rank != b.weight.action_rank) return a.weight.action_rank > b.weight.action_rank;
    return false;
}

void order_rules(Plan& plan, TieBreak tie_break, Diagnostics& diagnostics) {
    auto& rules = plan.rules;
    for (auto& r : rules) r.weight = weight_of(r.selector, r.verdict);
    // One 64-bit key per rule (more specific = larger), then a stable sort of
    // the keys: input order breaks the remaining ties. Comparing tuples of
    // whole rules was the plan's hot spot at 100 000 filters.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i)
        keys[i] = {sort_key(rules[i], tie_break), static_cast<std::uint32_t>(i)};
    std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

    // Identical selectors in one direction: the first in order wins, the rest
    // are dead. Found by sorting (hash, position) pairs: no per-rule node
    // allocation, which matters at 100 000 filters.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> by_identity(keys.size());
    for (std::size_t pos = 0; pos < keys.size(); ++pos)
        by_identity[pos] = {identity_hash(rules[keys[pos].second]), static_cast<std::uint32_t>(pos)};
    std::sort(by_identity.begin(), by_identity.end());
    std::vector<std::uint32_t> shadowed_by(keys.size(), UINT32_MAX);  // position of the winner
    for (std::size_t i = 0; i < by_identity.size();) {
        std::size_t j = i + 1;
        while (j < by_identity.size() && by_identity[j].first == by_identity[i].first) ++j;
        // [i, j) share a hash and are sorted by position: compare each with the
        // earlier ones that are still winners.
        for (std::size_t a = i + 1; a < j; ++a) {
            const PlanRule& ra = rules[keys[by_identity[a].second].second];
            for (std::size_t b = i; b < a; ++b) {
                if (shadowed_by[by_identity[b].second] != UINT32_MAX) continue;
                const PlanRule& rb = rules[keys[by_identity[b].second].second];
                if (ra.direction == rb.direction && ra.selector == rb.selector) {
                    shadowed_by[by_identity[a].second] = by_identity[b].second;
                    break;
                }
            }
        }
        i = j;
    }
    std::vector<PlanRule> kept;
    kept.reserve(rules.size());
    for (std::size_t pos = 0; pos < keys.size(); ++pos) {
        PlanRule& r = rules[keys[pos].second];
        if (shadowed_by[pos] == UINT32_MAX) {
            kept.push_back(std::move(r));
            continue;
        }
        ++plan.dropped_duplicates;
        const PlanRule& winner = rules[keys[shadowed_by[pos]].second];
        if (winner.verdict == r.verdict) {
            if (winner.filter != r.filter)
                diagnostics.note(
                    "N-PLAN-DUPLICATE-FILTER", r.filter->where,
                    fmt::format("{} {} duplicates the filter at {}; it changes nothing", to_string(r.direction),
                                r.selector.to_string(), winner.filter->where.to_string()));
        } else {
            diagnostics.warning(
                "W-PLAN-SHADOWED-FILTER", r.filter->where,
                fmt::format("{} {} never acts: the identical filter at {} ({}) wins over this "
                            "one ({}); Windows orders block > permit > negotiate",
                            to_string(r.direction), r.selector.to_string(), winner.filter->where.to_string(),
                            winner.verdict.name_for(r.direction), r.verdict.name_for(r.direction)));
        }
    }
    rules = std::move(kept);

    plan.classes.clear();
    for (std::size_t i = 0; i < rules.size(); ++i) {
        auto& r = rules[i];
        r.rank = static_cast<int>(i);
        if (i == 0 || shape_key(rules[i - 1]) != shape_key(r)) {
            ShapeClass c;
            c.id = static_cast<int>(plan.classes.size());
            c.direction = r.direction;
            c.verdict = r.verdict;
            c.family = r.selector.source.family();
            c.source_length = r.selector.source.length;
            c.destination_length = r.selector.destination.length;
            c.protocol = r.selector.protocol != 0;
            c.source_port = r.selector.source_port != 0;
            c.destination_port = r.selector.destination_port != 0;
            c.first_rank = r.rank;
            plan.classes.push_back(c);
        }
        r.shape_class = plan.classes.back().id;
        ++plan.classes.back().size;
    }
}

void find_ambiguous_overlaps(const Plan& plan, TieBreak tie_break, Diagnostics& diagnostics) {
    // Only rules whose (protocol, ports) specificity differs can be ordered
    // differently by the two tie-breaks; group by that and compare across groups.
    std::map<std::tuple<Direction, int, int>, std::vector<const PlanRule*>> groups;
    for (const auto& r : plan.rules) groups[{r.direction, r.weight.protocol, r.weight.ports}].push_back(&r);
    const TieBreak other = tie_break == TieBreak::Address ? TieBreak::Protocol : TieBreak::Address;
    constexpr std::size_t budget = 50'000'000;  // pair comparisons; keeps 100 000-filter plans fast
    std::size_t spent = 0;
    std::size_t reported = 0;
    bool truncated = false;
    for (auto g1 = groups.begin(); g1 != groups.end(); ++g1) {
        for (auto g2 = std::next(g1); g2 != groups.end(); ++g2) {
            if (std::get<0>(g1->first) != std::get<0>(g2->first)) continue;
            if (g1->second.size() * g2->second.size() > budget - spent) {
                truncated = true;
                continue;
            }
            spent += g1->second.size() * g2->second.size();
            for (const PlanRule* a : g1->second) {
                for (const PlanRule* b : g2->second) {
                    if (a->verdict == b->verdict) continue;
                    if (!a->selector.overlaps(b->selector)) continue;
                    if (a->selector.subset_of(b->selector) || b->selector.subset_of(a->selector)) continue;
                    if (consulted_before(*a, *b, tie_break) == consulted_before(*a, *b, other)) continue;
                    const PlanRule* first = a->rank < b->rank ? a : b;
                    const PlanRule* second = first == a ? b : a;
                    if (reported++ < 100)
                        diagnostics.warning(
                            "W-PLAN-AMBIGUOUS-OVERLAP", second->filter->where,
                            fmt::format("{} packets {} match both this filter ({}, rule '{}') and the filter at {} "
                                        "({}, rule '{}'); neither is more specific in every field and Windows' "
                                        "exact weight is unknown: with --tie-break {} the one at {} wins",
                                        to_string(a->direction), intersection(a->selector, b->selector).to_string(),
                                        second->verdict.name_for(second->direction), second->rule->name,
                                        first->filter->where.to_string(), first->verdict.name_for(first->direction),
                                        first->rule->name, tie_break == TieBreak::Address ? "address" : "protocol",
                                        first->filter->where.to_string()));
                }
            }
        }
    }
    if (reported > 100)
        diagnostics.warning("W-PLAN-AMBIGUOUS-OVERLAP", {},
                            fmt::format("{} more ambiguous overlaps not shown", reported - 100));
    if (truncated)
        diagnostics.note("N-PLAN-OVERLAP-CHECK-LIMITED", {},
                         "the policy is too large to compare every pair of filters for ambiguous overlaps; some "
                         "were not checked");
}

}  // namespace winipsec::plan
