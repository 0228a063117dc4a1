#pragma once
// winipsecd's quick reload: when the only change since the last reload is
// edited filter lines in the static sources, read those lines alone
// (import/filter_line_edits.hpp), replace the filters in the applied plan
// (plan/filter_edit.hpp), rebuild only the nft sets of the shape classes they
// sit in and send just the set elements that differ, in one batch
// (kernel/nft_set_delta.hpp). It touches the change, not the policy: at 100 000
// filters it takes milliseconds where a full reload takes seconds. Whenever
// it cannot vouch for the result being what a full reload would apply it says
// why and changes nothing, and the caller reloads in full; winipsecd also
// re-plans in full shortly after every quick reload, to check it and to
// refresh the warnings a full plan reports.
#include <expected>
#include <string>

#include "daemon/applied_policy.hpp"
#include "daemon/policy_sources.hpp"
#include "kernel/nft_batch.hpp"
#include "plan/plan.hpp"

namespace winipsec::daemon {

struct QuickReload {
    bool changed = false;  // false: the sources are as they were applied
    std::size_t filters = 0, records = 0;
    std::size_t nft_elements_added = 0, nft_elements_removed = 0;
    std::vector<Diagnostic> diagnostics;  // what the edited lines and their records report
    double read_ms = 0, plan_ms = 0, apply_ms = 0;
    double decode_ms = 0;  // of read_ms: reading and decoding the files whole
};

// Edits `applied` in place when it succeeds; leaves it (and the kernel) as
// they were when it does not.
// `nft`: the daemon's open netfilter socket (kernel/nft_batch.hpp).
std::expected<QuickReload, std::string> quick_reload(AppliedPolicy& applied, const PolicySources& sources,
                                                     const plan::PlanOptions& options, kernel::NftConnection* nft);

}  // namespace winipsec::daemon
