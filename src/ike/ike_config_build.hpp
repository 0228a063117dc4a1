#pragma once
// From the plan's NEGOTIATE rules to charon connections (spec windows-ipsec.md
// §9.4-9.6, linux-targets.md §1.7): IKEv1 main mode, explicit proposals,
// one child per Windows filter (charon reads only the first selector pair
// of an IKEv1 child), tunnel rule pairs joined, IP-address IDs for PSK.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ike/ike_config.hpp"
#include "import/diagnostics.hpp"
#include "model/secret.hpp"
#include "plan/plan.hpp"

namespace winipsec::ike {

struct IkeBuildOptions {
    PolicyOwner policy_owner = PolicyOwner::Winipsec;
    // The reqid winipsec's XFRM templates use for a Windows rule
    // (kernel::xfrm_reqids); charon's SAs must carry the same one.
    std::function<std::uint32_t(const Rule*)> reqid_of;
    // XFRM priority of a plan rule, for PolicyOwner::Charon.
    std::function<std::uint32_t(const plan::PlanRule&)> priority_of;
    std::vector<std::string> ca_files;        // --ca: CA certificates for certificate rules
    std::optional<Secret> kerberos_fallback;  // --kerberos-fallback psk:KEY
};

// Errors (Kerberos-only rule without fallback, certificate rule without
// --ca, an offer charon cannot express) go to `diagnostics`; the rule is
// then left out and the caller decides whether to go on.
IkeConfig build_ike_config(const plan::Plan& plan, const IkeBuildOptions& options, Diagnostics& diagnostics);

}  // namespace winipsec::ike
