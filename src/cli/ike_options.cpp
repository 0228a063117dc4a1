#include "cli/ike_options.hpp"

#include <fmt/format.h>

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

std::expected<translation::IkeStackOptions, Error> IkeCliOptions::to_stack_options() const {
    translation::IkeStackOptions o;
    o.libipsec = charon_owns_policies();
    o.ca_files = ca_files;
    if (!kerberos_fallback.empty()) {
        if (!kerberos_fallback.starts_with("psk:") || kerberos_fallback.size() == 4)
            return std::unexpected(Error::usage("--kerberos-fallback: expected psk:KEY"));
        o.kerberos_fallback = Secret(kerberos_fallback.substr(4));
    }
    return o;
}

std::expected<ike::IkeBuildOptions, Error> IkeCliOptions::to_options(const plan::Plan& plan) const {
    auto o = to_stack_options();
    if (!o) return std::unexpected(o.error());
    // The same reqids and priorities winipsecd uses (policy_translation.hpp).
    return translation::ike_build_options(plan, *o);
}

}  // namespace winipsec::cli
