#include "plan/filter_edit.hpp"

#include <algorithm>

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
    for (const auto& r : plan.rules)
        if (r.verdict.action == ActionKind::Negotiate)
            return std::unexpected("the plan negotiates: XFRM and IKE depend on every filter");

    FilterEdit edit;
    std::vector<bool> taken(plan.rules.size(), false);
    for (const auto& rep : replacements) {
        const Filter* target = rep.filter;
        const FilterList* list = list_holding(target, store);
        if (!list) return std::unexpected("an edited filter is not in the planned store");
        Filter after = rep.replacement;
        after.where.file = target->where.file;
        edit.values_.push_back({rep.filter, *target, after});

        // Where the plan holds the filter's records now.
        std::vector<std::size_t> held;
        for (std::size_t i = 0; i < plan.rules.size(); ++i)
            if (plan.rules[i].filter == target) held.push_back(i);

        std::size_t matched = 0;
        for (const Use& use : uses_of(list, plan, store, options)) {
            Diagnostics scratch;
            const auto old_records =
                filter_records(store, *use.policy, *use.rule, *use.list, *use.action, *target, options, scratch);
            Diagnostics found;
            auto new_records =
                filter_records(store, *use.policy, *use.rule, *use.list, *use.action, after, options, found);
            if (found.has_errors()) return std::unexpected("an edited filter has plan errors");
            edit.diagnostics_.append(found);
            if (new_records.size() != old_records.size())
                return std::unexpected("an edited filter now stands for another number of records");
            for (std::size_t k = 0; k < old_records.size(); ++k) {
                const auto at = std::find_if(held.begin(), held.end(), [&](std::size_t i) {
                    return !taken[i] && same_record(plan.rules[i], old_records[k]);
                });
                if (at == held.end()) return std::unexpected("the plan does not hold an edited filter as planned");
                taken[*at] = true;
                ++matched;
                const PlanRule& before = plan.rules[*at];
                PlanRule next = new_records[k];
                next.filter = target;  // the store's object, which apply() overwrites
                next.weight = weight_of(next.selector, next.verdict);
                next.rank = before.rank;
                next.shape_class = before.shape_class;
                if (!same_shape(before, next) || next.weight != before.weight)
                    return std::unexpected("an edited filter moves to another shape class");
                if (plan.fragments == FragmentRule::BlockNonFirst && next.selector.protocol != before.selector.protocol)
                    return std::unexpected("a protocol changes while non-first fragments are blocked by protocol");
                edit.changes_.push_back({*at, before, next});
            }
        }
        if (matched != held.size()) return std::unexpected("the plan holds an edited filter differently");
    }

    // No new record may duplicate a record that stays, nor another new one:
    // order_rules would then drop one of them.
    for (std::size_t a = 0; a < edit.changes_.size(); ++a) {
        const PlanRule& n = edit.changes_[a].after;
        for (std::size_t b = 0; b < a; ++b) {
            const PlanRule& m = edit.changes_[b].after;
            if (m.direction == n.direction && m.selector == n.selector)
                return std::unexpected("two edited records are identical");
        }
    }
    for (std::size_t i = 0; i < plan.rules.size(); ++i) {
        if (taken[i]) continue;
        const PlanRule& r = plan.rules[i];
        for (const auto& c : edit.changes_)
            if (r.direction == c.after.direction && r.selector == c.after.selector)
                return std::unexpected(fmt::format("an edited filter duplicates the one at {}",
                                                   r.filter ? r.filter->where.to_string() : "?"));
    }
    for (const auto& c : edit.changes_) edit.classes_.push_back(c.before.shape_class);
    std::sort(edit.classes_.begin(), edit.classes_.end());
    edit.classes_.erase(std::unique(edit.classes_.begin(), edit.classes_.end()), edit.classes_.end());
    return edit;
}

}  // namespace winipsec::plan
