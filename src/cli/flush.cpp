// winipsec flush: remove exactly what winipsec installed.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/exit_status.hpp"
#include "cli/verbs.hpp"
#include "kernel/kernel_state.hpp"

namespace winipsec::cli {

VerbRunner add_flush_verb(CLI::App& app) {
    CLI::App* verb = app.add_subcommand("flush", "remove winipsec's nftables table and XFRM policies");
    verb->footer(
        "Deletes the table inet winipsec and the XFRM policies carrying winipsec's index tag in this\n"
        "network namespace. Other tables and other XFRM policies (charon's, an administrator's) stay.\n"
        "Exit status: 0 done (also when nothing was installed), 3 the kernel refused.");
    return [] {
        auto r = kernel::flush_kernel_state();
        if (!r) {
            fmt::print(stderr, "winipsec flush: {}\n", r.error().message);
            return exit_status_for(r.error());
        }
        return static_cast<int>(exit_ok);
    };
}

}  // namespace winipsec::cli
