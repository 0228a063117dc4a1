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
    std::size_t nft_sets = 0;
    std::size_t nft_elements = 0;
    std::size_t nft_rules = 0;
};

// In the calling thread's network namespace.
std::expected<ApplyReport, Error> apply_kernel_state(const KernelState& state);
// Removes exactly what winipsec installed: its nft table and its XFRM policies.
std::expected<void, Error> flush_kernel_state();

}  // namespace winipsec::kernel
