#pragma once
// From the plan to XFRM policies (spec windows-ipsec.md §9.3). The plan has
// already decided the order and the verdicts; this only chooses which rules
// the XFRM layer must see and spells them as selectors and templates.
#include <cstdint>
#include <map>
#include <vector>

#include "import/diagnostics.hpp"
#include "kernel/xfrm_policy.hpp"
#include "plan/plan.hpp"

namespace winipsec::kernel {

// Every negotiate rule, the permit/block rules that must pre-empt one, and
// the exemptions that overlap one, in priority order. Diagnostics get
// W-XFRM-* findings for what XFRM expresses differently from Windows.
std::vector<XfrmPolicy> build_xfrm_policies(const plan::Plan& plan, Diagnostics& diagnostics);
std::vector<XfrmPolicy> build_xfrm_policies(const plan::Plan& plan);

// The reqid of each Windows rule's templates: stable across runs (derived
// from the policy and rule names, not from the order), so an IKE daemon can
// bind a trap/CHILD_SA to it (`reqid = N` in swanctl.conf, spec §4.8).
std::map<const Rule*, std::uint32_t> xfrm_reqids(const plan::Plan& plan);

}  // namespace winipsec::kernel
