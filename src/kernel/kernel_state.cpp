#include "kernel/kernel_state.hpp"

#include <fmt/format.h>

#include "kernel/nft_batch.hpp"
#include "kernel/nft_libipsec.hpp"
#include "kernel/nft_readback.hpp"
#include "kernel/nft_set_delta.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"

namespace winipsec::kernel {
namespace {

// Sends only the element changes from `running` to `desired`; false (and
// why in the report) when that is not possible and the table must be
// replaced instead.
bool apply_nft_elements(const NftRuleset& desired, const NftRuleset& running, ApplyReport& report) {
    const auto deltas = diff_nft_rulesets(running, desired);
    if (!deltas) {
        report.nft_replace_reason = "more than set elements changed";
        return false;
    }
    if (deltas->empty()) {
        // Nothing to send, but the table must still be there: someone may
        // have flushed the ruleset since `running` was applied.
        auto present = nft_table_present();
        if (present && *present) return true;
        report.nft_replace_reason = present ? "table inet winipsec is missing" : present.error().message;
        return false;
    }
    if (auto sent = apply_nft_set_deltas(*deltas); !sent) {
        report.nft_replace_reason = sent.error().message;
        return false;
    }
    for (const auto& d : *deltas) {
        report.nft_elements_added += d.added.size();
        report.nft_elements_removed += d.removed.size();
    }
    return true;
}

}  // namespace

KernelState build_kernel_state(const plan::Plan& plan, Diagnostics& diagnostics, const KernelOptions& options) {
    KernelState state;
    state.nft = build_nft_ruleset(plan);
    if (options.libipsec)
        trust_libipsec_interface(state.nft, options.libipsec_interface);
    else
        state.xfrm = build_xfrm_policies(plan, diagnostics);
    return state;
}

std::expected<ApplyReport, Error> apply_kernel_state(const KernelState& state, const KernelState* running) {
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

    if (running && apply_nft_elements(state.nft, running->nft, report)) return report;
    report.nft_table_replaced = true;
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
