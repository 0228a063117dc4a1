#include "daemon/policy_translation.hpp"

#include <algorithm>
#include <map>

#include "kernel/xfrm_plan.hpp"
#include "kernel/xfrm_policy.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::translation {

ike::IkeBuildOptions ike_build_options(const plan::Plan& plan, const IkeStackOptions& options) {
    ike::IkeBuildOptions o;
    o.ca_files = options.ca_files;
    o.kerberos_fallback = options.kerberos_fallback;
    if (options.libipsec) {
        o.policy_owner = ike::PolicyOwner::Charon;
        // The same band winipsec's own XFRM policies use: Windows' order
        // holds, and charon's automatic priorities (>= 68541) stay below.
        o.priority_of = [](const plan::PlanRule& r) {
            return std::min<std::uint32_t>(kernel::xfrm_priority_rules + static_cast<std::uint32_t>(r.rank),
                                           kernel::xfrm_priority_last);
        };
    } else {
        o.policy_owner = ike::PolicyOwner::Winipsec;
        auto reqids = std::make_shared<const std::map<const Rule*, std::uint32_t>>(kernel::xfrm_reqids(plan));
        o.reqid_of = [reqids](const Rule* rule) {
            const auto it = reqids->find(rule);
            return it == reqids->end() ? 0u : it->second;
        };
    }
    return o;
}

Translation translate(std::shared_ptr<const PolicyStore> store, const plan::PlanOptions& plan_options,
                      const IkeStackOptions& ike_options, Diagnostics& diagnostics, bool with_ike) {
    Translation t;
    t.store = std::move(store);
    t.plan = plan::build_plan(*t.store, plan_options, diagnostics);
    t.kernel = kernel::build_kernel_state(t.plan, diagnostics, {.libipsec = ike_options.libipsec});
    if (with_ike) t.ike = ike::build_ike_config(t.plan, ike_build_options(t.plan, ike_options), diagnostics);
    return t;
}

}  // namespace winipsec::translation
