#pragma once
// A quick reload's view of the plan: Windows filters replaced in place (same
// list, same position, new values), applied to an existing plan without
// planning the whole store again. It is only taken when the result is, rule
// for rule, what build_plan would give for the edited store; otherwise the
// caller plans everything again. The conditions:
//  - no negotiate rule in the plan and no --as-peer-of (XFRM policies, their
//    priorities and the IKE configuration depend on every filter);
//  - no duplicate was dropped when the plan was built (removing a filter
//    could bring one back);
//  - every record of an edited filter keeps its shape class (so its rank and
//    its class's place in the order stay), is nobody else's duplicate and
//    plans without errors;
//  - with --fragments block-non-first, no protocol changes (the fragment
//    rules list the protocols of port-specific blocks).
// What the full plan also reports (ambiguous overlaps, lint warnings) is not
// recomputed here: winipsecd re-plans in full after a quick reload.
#include <expected>
#include <span>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

struct FilterReplacement {
    Filter* filter = nullptr;  // in the store the plan was built from
    Filter replacement;        // its new value (location included)
};

// The plan changes that replace some filters, ready to apply and to take
// back (when the kernel refuses the result).
class FilterEdit {
public:
    // Shape classes whose records change, ascending.
    const std::vector<int>& classes() const { return classes_; }
    std::size_t records() const { return changes_.size(); }
    // What planning the new filters found (notes and warnings; never errors).
    const Diagnostics& diagnostics() const { return diagnostics_; }

    struct RecordChange {
        std::size_t index;  // in plan.rules
        PlanRule before, after;
    };
    const std::vector<RecordChange>& changes() const { return changes_; }

    // Puts the new filters in the store and their records in the plan.
    void apply(Plan& plan);
    // Puts the old ones back.
    void revert(Plan& plan);

private:
    friend std::expected<FilterEdit, std::string> plan_filter_edit(const Plan&, const PolicyStore&,
                                                                   const PlanOptions&,
                                                                   std::span<const FilterReplacement>);
    struct ValueChange {
        Filter* filter;
        Filter before, after;
    };
    std::vector<RecordChange> changes_;
    std::vector<ValueChange> values_;
    std::vector<int> classes_;
    Diagnostics diagnostics_;
};

// The edit, or why the whole store must be planned again.
std::expected<FilterEdit, std::string> plan_filter_edit(const Plan& plan, const PolicyStore& store,
                                                        const PlanOptions& options,
                                                        std::span<const FilterReplacement> replacements);

}  // namespace winipsec::plan
