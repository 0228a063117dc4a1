#pragma once
// Everything winipsec installs for one plan, and the one place that applies
// it: XFRM first (make-before-break, its own undo journal), then the nft
// table in one atomic batch; when the batch fails the XFRM policies are put
// back as they were, so a failed apply leaves the running state unchanged.
#include <expected>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "import/error.hpp"
#include "kernel/nft_ruleset.hpp"
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_policy.hpp"
#include "plan/plan.hpp"

namespace winipsec::kernel {

struct KernelState {
    NftRuleset nft;
    std::vector<XfrmPolicy> xfrm;
    bool operator==(const KernelState&) const = default;
};

// Who carries ESP on this host (README "IKE").
struct KernelOptions {
    // charon with kernel-libipsec: ESP is done in userspace, the kernel never
    // sees an SA, and charon installs the negotiate policies in libipsec.
    // winipsec then installs no XFRM policies (kernel policies would catch
    // the clear traffic before it reaches libipsec's TUN device), and
    // nftables counts what arrives from that device as protected.
    bool libipsec = false;
    std::string libipsec_interface = "ipsec0";  // charon's TUN device
};

KernelState build_kernel_state(const plan::Plan& plan, Diagnostics& diagnostics, const KernelOptions& options = {});

struct ApplyReport {
    XfrmApplyResult xfrm;
    std::size_t nft_sets = 0;      // in the desired table
    std::size_t nft_elements = 0;  // in the desired table
    std::size_t nft_rules = 0;     // in the desired table
    // What was sent: the whole table, or only element changes (the two
    // counts below; both 0 and no replace: nft was already as desired).
    bool nft_table_replaced = false;
    std::size_t nft_elements_added = 0;
    std::size_t nft_elements_removed = 0;
    // Given `running`, why the table was replaced after all: "more than set
    // elements changed", "table inet winipsec is missing", or the kernel's
    // refusal of the element batch. Empty otherwise.
    std::string nft_replace_reason;
};

// In the calling thread's network namespace. `running`, when given, is what
// winipsec applied last in this namespace as the caller knows it: if the
// desired nft table differs from it only in set elements, only those
// elements are changed (counters of the others keep counting); when that
// batch is refused (the table is not what `running` says) the table is
// replaced whole, as without `running`. XFRM is reconciled against the
// kernel's own dump either way.
std::expected<ApplyReport, Error> apply_kernel_state(const KernelState& state, const KernelState* running = nullptr);
// Removes exactly what winipsec installed: its nft table and its XFRM policies.
std::expected<void, Error> flush_kernel_state();

}  // namespace winipsec::kernel
