#include "kernel/kernel_state.hpp"

#include <fmt/format.h>

#include "kernel/nft_batch.hpp"
#include "kernel/nft_libipsec.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"

namespace winipsec::kernel {

KernelState build_kernel_state(const plan::Plan& plan, Diagnostics& diagnostics, const KernelOptions& options) {
    KernelState state;
    state.nft = build_nft_ruleset(plan);
    if (options.libipsec)
        trust_libipsec_interface(state.nft, options.libipsec_interface);
    else
        state.xfrm = build_xfrm_policies(plan, diagnostics);
    return state;
}

std::expected<ApplyReport, Error> apply_kernel_state(const KernelState& state) {
    ApplyReport report;
    for (const auto& s : state.nft.sets) {
        ++report.nft_sets;
        report.nft_elements += s.elements.size();
    }
    for (const auto& c : state.nft.chains) report.nft_rules += c.rules.size();

    // What winipsec owns now, to put back if the nft batch is refused.
    auto before = dump_xfrm_policies();
    if (!before) return std::unexpected(before.error());
    std::vector<XfrmPolicy> previous;
    for (const auto& p : *before)
        if (p.ours()) previous.push_back(p);

    auto xfrm = apply_xfrm_policies(state.xfrm);
    if (!xfrm) return std::unexpected(xfrm.error());
    report.xfrm = *xfrm;

    auto nft = apply_nft_ruleset(state.nft);
    if (!nft) {
        auto undo = apply_xfrm_policies(previous);
        Error e = nft.error();
        e.message += undo ? "; the XFRM policies were restored, nothing changed"
                          : fmt::format("; restoring the previous XFRM policies failed too: {}", undo.error().message);
        return std::unexpected(e);
    }
    return report;
}

std::expected<void, Error> flush_kernel_state() {
    auto nft = remove_nft_table();
    auto xfrm = remove_xfrm_policies();
    if (!nft) return nft;
    return xfrm;
}

}  // namespace winipsec::kernel
