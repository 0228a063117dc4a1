#include "cli/ike_options.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "kernel/xfrm_plan.hpp"
#include "kernel/xfrm_policy.hpp"

namespace winipsec::cli {

void IkeCliOptions::add_to(CLI::App& verb) {
    verb.add_option("--ca", ca_files,
                    "CA certificate file for rules that authenticate with certificates (the Windows policy "
                    "holds only the root CA's name); repeatable")
        ->type_name("FILE");
    verb.add_option("--kerberos-fallback", kerberos_fallback,
                    "authenticate Kerberos-only rules with this pre-shared key instead (configure it on the "
                    "Windows peer too); charon has no Kerberos")
        ->type_name("psk:KEY");
    verb.add_option("--ipsec-stack", ipsec_stack,
                    "who carries ESP: kernel (winipsec installs every XFRM policy, charon only SAs) or libipsec "
                    "(charon's userspace ESP installs the negotiate policies; README \"IKE\")")
        ->check(CLI::IsMember({"kernel", "libipsec"}))
        ->default_val("kernel");
}

std::expected<ike::IkeBuildOptions, Error> IkeCliOptions::to_options(const plan::Plan& plan) const {
    ike::IkeBuildOptions o;
    o.ca_files = ca_files;
    if (!kerberos_fallback.empty()) {
        if (!kerberos_fallback.starts_with("psk:") || kerberos_fallback.size() == 4)
            return std::unexpected(Error::usage("--kerberos-fallback: expected psk:KEY"));
        o.kerberos_fallback = Secret(kerberos_fallback.substr(4));
    }
    if (charon_owns_policies()) {
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

}  // namespace winipsec::cli
