#pragma once
// Windows' filter order (spec §8.4): no administrator-defined order; the most
// specific filter wins. The exact weight formula is unknown [U], so:
//  - a strict subset always comes first (holds under both tie-breaks);
//  - with TieBreak::Address: more address bits (source + destination prefix
//    lengths), then a given protocol, then more given ports;
//    with TieBreak::Protocol: protocol, then ports, then address bits;
//  - identical match sets: block before permit before negotiate [I, WS2003];
//  - then shape (so rules of one shape sit together), then input order.
// Partial overlaps whose order differs between the two tie-breaks are
// reported (find_ambiguous_overlaps).
#include <vector>

#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

Weight weight_of(const Selector& selector, const Verdict& verdict);
// Whether two rules would sit in one shape class (differ only in address and
// port values).
bool same_shape(const PlanRule& a, const PlanRule& b);
// True when `a` is consulted before `b`.
bool consulted_before(const PlanRule& a, const PlanRule& b, TieBreak tie_break);

// Sorts, assigns rank and shape classes, drops exact duplicates (same
// direction, selector and verdict; reported as notes) and reports rules that
// can never match because an identical selector with another verdict wins.
void order_rules(Plan& plan, TieBreak tie_break, Diagnostics& diagnostics);

// Pairs of rules with different verdicts that overlap partially and that the
// two tie-breaks order differently: W-PLAN-AMBIGUOUS-OVERLAP naming both
// filters, the overlap region and the order chosen.
void find_ambiguous_overlaps(const Plan& plan, TieBreak tie_break, Diagnostics& diagnostics);

}  // namespace winipsec::plan
