// winipsec flush: remove exactly what winipsec installed.
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/exit_status.hpp"
#include "cli/verbs.hpp"
#include "ike/ike_vici_load.hpp"
#include "ike/vici_session.hpp"
#include "ike/vici_uri.hpp"
#include "kernel/kernel_state.hpp"

namespace winipsec::cli {
namespace {

struct FlushOptions {
    std::string vici_uri;  // empty: the default socket, when it exists
};

int run_flush(const FlushOptions& o) {
    auto r = kernel::flush_kernel_state();
    if (!r) {
        fmt::print(stderr, "winipsec flush: {}\n", r.error().message);
        return exit_status_for(r.error());
    }
    std::string uri = o.vici_uri;
    if (uri.empty()) {
        const std::string fallback(ike::default_vici_uri);
        if (!std::filesystem::exists(fallback.substr(std::string_view("unix://").size()))) return exit_ok;
        uri = fallback;
    }
    auto session = ike::ViciSession::connect(uri);
    if (!session) {
        fmt::print(stderr, "winipsec flush: kernel state removed; charon at {}: {}\n", uri, session.error().message);
        return exit_system;
    }
    auto unloaded = ike::unload_ike_config(*session);
    if (!unloaded) {
        fmt::print(stderr, "winipsec flush: kernel state removed; charon: {}\n", unloaded.error().message);
        return exit_system;
    }
    if (unloaded->connections_unloaded || unloaded->keys_unloaded)
        fmt::print("IKE: {} connections and {} keys unloaded from charon\n", unloaded->connections_unloaded,
                   unloaded->keys_unloaded);
    return exit_ok;
}

}  // namespace

VerbRunner add_flush_verb(CLI::App& app) {
    auto options = std::make_shared<FlushOptions>();
    CLI::App* verb = app.add_subcommand("flush", "remove winipsec's nftables table, XFRM policies and IKE connections");
    verb->footer(
        "Deletes the table inet winipsec and the XFRM policies carrying winipsec's index tag in this\n"
        "network namespace, and unloads the winipsec-* connections and keys from charon. Other tables,\n"
        "other XFRM policies and other connections (charon's, an administrator's) stay.\n"
        "Exit status: 0 done (also when nothing was installed), 3 the kernel or charon refused.");
    verb->add_option("--vici", options->vici_uri,
                     "charon's VICI socket (default unix:///var/run/charon.vici when that socket exists)")
        ->type_name("URI");
    return [options] { return run_flush(*options); };
}

}  // namespace winipsec::cli
