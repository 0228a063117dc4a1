#pragma once
// The options that shape the plan (Windows semantics on this host), shared
// by translate, explain and lint.
#include <expected>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "import/error.hpp"
#include "plan/plan.hpp"

namespace winipsec::cli {

struct PlanCliOptions {
    std::vector<std::string> me;
    std::vector<std::string> servers;  // KIND=ADDR
    int no_default_exempt = -1;        // -1 = not given
    std::string windows_version = "2003";
    std::string tie_break = "address";
    std::string fragments = "reassemble";
    std::string policy;
    bool include_dynamic = false;
    bool no_host_lookups = false;
    std::string as_peer_of;  // counterpart mode: the Windows host's address

    void add_to(CLI::App& verb);
    // Reads the host's addresses for `me` unless --me was given.
    std::expected<plan::PlanOptions, Error> to_options() const;
};

}  // namespace winipsec::cli
