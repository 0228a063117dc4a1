#include "plan/filter_edit.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "plan/build_plan.hpp"
#include "plan/order.hpp"

namespace winipsec::plan {
namespace {

bool same_record(const PlanRule& a, const PlanRule& b) {
    return a.rule == b.rule && a.policy == b.policy && a.is_mirror == b.is_mirror && a.direction == b.direction &&
           a.selector == b.selector;
}

// The rules build_plan expands `list` under: active, not the default
// response rule, with a list and an action that exist.
struct Use {
    const Policy* policy;
    const Rule* rule;
    const FilterList* list;
    const FilterAction* action;
};

std::vector<Use> uses_of(const FilterList* list, const Plan& plan, const PolicyStore& store,
                         const PlanOptions& options) {
    std::vector<Use> uses;
    auto scan = [&](const Policy& p) {
        for (const auto& rule : p.rules) {
            if (rule.default_response || !rule.active) continue;
            const FilterList* l = store.find_filter_list(rule.filter_list);
            const FilterAction* a = store.find_filter_action(rule.filter_action);
            if (l == list && a) uses.push_back({&p, &rule, l, a});
        }
    };
    if (plan.policy) scan(*plan.policy);
    if (options.include_dynamic)
        for (const auto& p : store.policies)
            if (p.origin == Origin::Dynamic) scan(p);
    return uses;
}

const FilterList* list_holding(const Filter* filter, const PolicyStore& store) {
    for (const auto& l : store.filter_lists)
        if (!l.filters.empty() && filter >= l.filters.data() && filter < l.filters.data() + l.filters.size())
            return &l;
    return nullptr;
}

}  // namespace

void FilterEdit::apply(Plan& plan) {
    for (auto& v : values_) *v.filter = v.after;
    for (auto& c : changes_) plan.rules[c.index] = c.after;
}

void FilterEdit::revert(Plan& plan) {
    for (auto& c : changes_) plan.rules[c.index] = c.before;
    for (auto& v : values_) *v.filter = v.before;
}

std::expected<FilterEdit, std::string> plan_filter_edit(const Plan& plan, const PolicyStore& store,
                                                        const PlanOptions& options,
                                                        std::span<const FilterReplacement> replacements) {
    if (options.counterpart_of) return std::unexpected("--as-peer-of plans the Windows side first");
    if (plan.dropped_duplicates > 0) return std::unexpected("the plan left out duplicate filters");

    // The old and new records of every edited filter, as build_plan makes them.
    FilterEdit edit;
    struct Expected {
        const Filter* target;
        std::vector<PlanRule> before, after;
    };
    std::vector<Expected> expected;
    for (const auto& rep : replacements) {
        const Filter* target = rep.filter;
        const FilterList* list = list_holding(target, store);
        if (!list) return std::unexpected("an edited filter is not in the planned store");
        Filter after = rep.replacement;
        after.where.file = target->where.file;
        Expected e{target, {}, {}};
        for (const Use& use : uses_of(list, plan, store, options)) {
            Diagnostics scratch, found;
            auto old_records =
                filter_records(store, *use.policy, *use.rule, *use.list, *use.action, *target, options, scratch);
            auto new_records =
                filter_records(store, *use.policy, *use.rule, *use.list, *use.action, after, options, found);
            if (found.has_errors()) return std::unexpected("an edited filter has plan errors");
            edit.diagnostics_.append(found);
            if (new_records.size() != old_records.size())
                return std::unexpected("an edited filter now stands for another number of records");
            for (auto& r : new_records) r.filter = target;  // the store's object, which apply() overwrites
            std::move(old_records.begin(), old_records.end(), std::back_inserter(e.before));
            std::move(new_records.begin(), new_records.end(), std::back_inserter(e.after));
        }
        edit.values_.push_back({rep.filter, *target, std::move(after)});
        expected.push_back(std::move(e));
    }
    std::vector<const PlanRule*> fresh;
    for (const auto& e : expected)
        for (const auto& n : e.after) {
            for (const PlanRule* m : fresh)
                if (m->direction == n.direction && m->selector == n.selector)
                    return std::unexpected("two edited records are identical");
            fresh.push_back(&n);
        }

    // One pass over the plan (200 000 records at 100 000 mirrored filters):
    // where it holds the old records, and whether anything forbids the edit.
    std::vector<std::vector<std::size_t>> held(expected.size());
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        const PlanRule& r = plan.rules[i];
        if (r.verdict.action == ActionKind::Negotiate)
            return std::unexpected("the plan negotiates: XFRM and IKE depend on every filter");
        bool edited = false;
        for (std::size_t k = 0; k < expected.size(); ++k)
            if (r.filter == expected[k].target) {
                held[k].push_back(i);
                edited = true;
            }
        if (edited) continue;
        // No new record may duplicate one that stays: order_rules would drop one.
        for (const auto& e : expected)
            for (const auto& n : e.after)
                if (r.direction == n.direction && r.selector == n.selector)
                    return std::unexpected(fmt::format("an edited filter duplicates the one at {}",
                                                       r.filter ? r.filter->where.to_string() : "?"));
    }

    for (std::size_t k = 0; k < expected.size(); ++k) {
        const Expected& e = expected[k];
        if (held[k].size() != e.before.size()) return std::unexpected("the plan holds an edited filter differently");
        std::vector<bool> taken(held[k].size(), false);
        for (std::size_t j = 0; j < e.before.size(); ++j) {
            std::size_t at = held[k].size();
            for (std::size_t h = 0; h < held[k].size(); ++h)
                if (!taken[h] && same_record(plan.rules[held[k][h]], e.before[j])) {
                    at = h;
                    break;
                }
            if (at == held[k].size()) return std::unexpected("the plan does not hold an edited filter as planned");
            taken[at] = true;
            const std::size_t index = held[k][at];
            const PlanRule& before = plan.rules[index];
            PlanRule next = e.after[j];
            next.weight = weight_of(next.selector, next.verdict);
            next.rank = before.rank;
            next.shape_class = before.shape_class;
            if (!same_shape(before, next) || next.weight != before.weight)
                return std::unexpected("an edited filter moves to another shape class");
            if (plan.fragments == FragmentRule::BlockNonFirst && next.selector.protocol != before.selector.protocol)
                return std::unexpected("a protocol changes while non-first fragments are blocked by protocol");
            edit.changes_.push_back({index, before, next});
        }
    }
    for (const auto& c : edit.changes_) edit.classes_.push_back(c.before.shape_class);
    std::sort(edit.classes_.begin(), edit.classes_.end());
    edit.classes_.erase(std::unique(edit.classes_.begin(), edit.classes_.end()), edit.classes_.end());
    return edit;
}

}  // namespace winipsec::plan
