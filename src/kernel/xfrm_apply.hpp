#pragma once
// Installing winipsec's XFRM policies: reconcile the namespace's SPD with the
// desired list, touching only policies winipsec owns (XfrmPolicy::ours()).
// There is no XFRM transaction, so the change is make-before-break with an
// undo journal; FLUSHPOLICY is never used (it is global, spec §4.8).
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "import/error.hpp"
#include "kernel/xfrm_policy.hpp"

namespace winipsec::kernel {

struct XfrmApplyResult {
    std::size_t added = 0;      // NEWPOLICY
    std::size_t updated = 0;    // UPDPOLICY (priority, action or templates changed)
    std::size_t removed = 0;    // DELPOLICY of owned policies no longer desired
    std::size_t unchanged = 0;  // already installed as desired
    // Desired policies whose identity a foreign policy (charon's, an
    // administrator's) already holds: left alone, one line each for the user.
    std::vector<std::string> conflicts;
};

struct XfrmApplyOptions {
    // Test hook: the change with this number (0-based, in execution order:
    // adds, updates, removals) fails as if the kernel had refused it.
    std::optional<std::size_t> fail_at_change;
};

// Runs in the calling thread's network namespace. Steps: dump; add new
// identities (NEWPOLICY, each with a winipsec index not in use), update
// changed ones (UPDPOLICY), delete owned ones no longer desired; then read
// back and compare. On any failure every change already made is undone (the
// dump is the previous state) and the error says what failed and whether
// the rollback succeeded. Desired selectors are canonicalised; indexes are
// chosen here (the given ones are kept when free); priorities must lie in
// winipsec's band.
std::expected<XfrmApplyResult, Error> apply_xfrm_policies(const std::vector<XfrmPolicy>& desired,
                                                          const XfrmApplyOptions& options = {});

// Deletes exactly the policies winipsec owns (XfrmPolicy::ours()), in the
// calling thread's network namespace.
std::expected<void, Error> remove_xfrm_policies();

}  // namespace winipsec::kernel
