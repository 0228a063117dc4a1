#pragma once
// One Windows policy store -> everything winipsec installs for it: the plan,
// the kernel state (nft + XFRM) and charon's IKE configuration. `winipsec
// apply` and winipsecd both go through here, so the daemon installs exactly
// what the command line would.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ike/ike_config.hpp"
#include "ike/ike_config_build.hpp"
#include "import/diagnostics.hpp"
#include "kernel/kernel_state.hpp"
#include "model/policy.hpp"
#include "model/secret.hpp"
#include "plan/plan.hpp"

namespace winipsec::translation {

// Who carries ESP and what the IKE side needs beyond the policy (README "IKE").
struct IkeStackOptions {
    bool libipsec = false;  // charon's kernel-libipsec carries ESP and owns the negotiate policies
    std::vector<std::string> ca_files;
    std::optional<Secret> kerberos_fallback;
};

// The IKE build options for `plan`: reqids that match winipsec's XFRM
// templates (kernel back end), or priorities in winipsec's band when charon
// installs the policies (libipsec).
ike::IkeBuildOptions ike_build_options(const plan::Plan& plan, const IkeStackOptions& options);

struct Translation {
    // The plan points into the store: both live here, the store on the heap
    // so a Translation can move.
    std::shared_ptr<const PolicyStore> store;
    plan::Plan plan;
    kernel::KernelState kernel;
    ike::IkeConfig ike;
};

// Plans, builds the kernel state and (unless `with_ike` is false: charon is
// configured elsewhere) the IKE configuration. Findings go to `diagnostics`;
// the caller applies nothing when it has errors.
Translation translate(std::shared_ptr<const PolicyStore> store, const plan::PlanOptions& plan_options,
                      const IkeStackOptions& ike_options, Diagnostics& diagnostics, bool with_ike = true);

}  // namespace winipsec::translation
