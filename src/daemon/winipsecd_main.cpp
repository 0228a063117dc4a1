// winipsecd: keeps this host's Windows IPsec policy applied (README
// "WINIPSECD"). Boot order: last-known-good (or fail-closed) before anything
// else, then the sources, then READY=1; afterwards reloads on change.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "daemon/daemon_config.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/policy_daemon.hpp"
#include "daemon/reload_loop.hpp"
#include "daemon/service_notify.hpp"

#ifndef WINIPSEC_VERSION
#define WINIPSEC_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    using namespace winipsec::daemon;
    CLI::App app{"winipsecd: keep Windows IPsec policy applied on this host"};
    app.set_version_flag("--version", WINIPSEC_VERSION);
    std::string config_path = "/etc/winipsec/winipsec.yaml";
    bool check = false;
    app.add_option("-c,--config", config_path, "configuration file")->type_name("FILE");
    app.add_flag("--check", check, "read the configuration and the sources, plan, report, apply nothing");
    CLI11_PARSE(app, argc, argv);

    auto config = load_daemon_config(config_path);
    if (!config) {
        log_error(config.error());
        return 1;
    }
    set_log_level(config->log_level);
    PolicyDaemon daemon(std::move(*config));
    if (check) {
        auto findings = daemon.check();
        if (!findings) {
            log_error(findings.error().message);
            return 1;
        }
        for (const auto& d : findings->all()) fmt::print(stderr, "{}\n", d.to_string());
        fmt::print("{}: {} sources, {} errors, nothing applied\n", config_path, daemon.config().sources.size(),
                   findings->error_count());
        return findings->has_errors() ? 1 : 0;
    }
    log_info(fmt::format("starting with {}", config_path));
    notify_status(daemon.boot());
    daemon.reload(ReloadCause::Start, {}, false);
    notify_ready(daemon.summary());
    return run_reload_loop(daemon);
}
