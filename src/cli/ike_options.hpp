#pragma once
// The options that shape the IKE side (charon connections), shared by
// translate (--target swanctl) and apply (--vici).
#include <expected>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/policy_translation.hpp"
#include "ike/ike_config_build.hpp"
#include "import/error.hpp"
#include "plan/plan.hpp"

namespace winipsec::cli {

struct IkeCliOptions {
    std::vector<std::string> ca_files;
    std::string kerberos_fallback;       // "psk:KEY"
    std::string ipsec_stack = "kernel";  // kernel | libipsec

    void add_to(CLI::App& verb);
    // The build options for `plan` (reqids and priorities come from the
    // kernel back end, so charon's SAs fit winipsec's XFRM policies).
    std::expected<ike::IkeBuildOptions, Error> to_options(const plan::Plan& plan) const;
    // The same, before there is a plan (for translation::translate).
    std::expected<translation::IkeStackOptions, Error> to_stack_options() const;
    bool charon_owns_policies() const { return ipsec_stack == "libipsec"; }
};

}  // namespace winipsec::cli
