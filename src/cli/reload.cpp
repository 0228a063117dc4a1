// winipsec reload: make winipsecd read its sources and apply them now
// (what SIGHUP does), and say how it went.
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/exit_status.hpp"
#include "cli/verbs.hpp"
#include "daemon/control_protocol.hpp"

namespace winipsec::cli {
namespace {

struct ReloadOptions {
    std::string socket{control::default_socket};
    bool quiet = false;
};

int run_reload(const ReloadOptions& o) {
    // A 100 000-filter policy takes tens of seconds to apply.
    auto answer = control::control_request(o.socket, control::command_reload, std::chrono::minutes(5));
    if (!answer) {
        fmt::print(stderr, "winipsec reload: {}\n", answer.error().message);
        return exit_system;
    }
    const nlohmann::json& a = *answer;
    if (!a.contains("reload")) {
        fmt::print(stderr, "winipsec reload: {}\n", a.value("message", std::string("refused")));
        return exit_system;
    }
    const auto& r = a["reload"];
    const std::string result = r.value("result", "");
    if (result == "failed") {
        fmt::print(stderr, "winipsec reload: failed, the running state is unchanged: {}\n", r.value("message", ""));
        for (const auto& e : r["errors"]) fmt::print(stderr, "{}\n", e.get<std::string>());
        return exit_input_errors;
    }
    if (!o.quiet)
        fmt::print("{}: {} ({:.1f} ms)\n", result, r.value("message", ""), r["milliseconds"].value("total", 0.0));
    return exit_ok;
}

}  // namespace

VerbRunner add_reload_verb(CLI::App& app) {
    auto options = std::make_shared<ReloadOptions>();
    CLI::App* verb = app.add_subcommand("reload", "make winipsecd re-read and apply its policy sources now");
    verb->footer(
        "Same as SIGHUP to winipsecd, but waits for the result. Exit status: 0 applied, 1 the sources\n"
        "have errors (the running state is unchanged; the errors are printed), 3 the daemon is not\n"
        "reachable or the kernel refused.");
    verb->add_option("--socket", options->socket, "winipsecd's control socket")->type_name("PATH");
    verb->add_flag("-q,--quiet", options->quiet, "print nothing on success");
    return [options] { return run_reload(*options); };
}

}  // namespace winipsec::cli
