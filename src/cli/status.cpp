// winipsec status: what winipsecd is enforcing, where it came from, and why
// the last reload failed if it did (file:line:column), read from the
// daemon's control socket. `winipsec show` reads the kernel instead.
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/exit_status.hpp"
#include "cli/verbs.hpp"
#include "daemon/control_protocol.hpp"

namespace winipsec::cli {
namespace {

struct StatusOptions {
    std::string socket{control::default_socket};
    bool json = false;
};

std::string text(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

void print_reload(const nlohmann::json& r, const char* title) {
    fmt::print("{}: {} ({}, {}): {}\n", title, text(r, "result"), text(r, "cause"), text(r, "at"), text(r, "message"));
    const auto& ms = r["milliseconds"];
    const auto& k = r["kernel"];
    fmt::print(
        "  took {:.1f} ms (read {:.1f}, plan {:.1f}, apply {:.1f}, persist {:.1f}); nft {}; XFRM +{} ~{} -{} "
        "={}\n",
        ms.value("total", 0.0), ms.value("read", 0.0), ms.value("plan", 0.0), ms.value("apply", 0.0),
        ms.value("persist", 0.0),
        k.value("nft_table_replaced", false) ? fmt::format("table replaced ({} elements)", k.value("nft_elements", 0))
                                             : std::string("untouched"),
        k.value("xfrm_added", 0), k.value("xfrm_updated", 0), k.value("xfrm_removed", 0), k.value("xfrm_unchanged", 0));
    for (const auto& e : r["errors"]) fmt::print("  {}\n", e.get<std::string>());
}

int run_status(const StatusOptions& o) {
    auto answer = control::control_request(o.socket, control::command_status, std::chrono::seconds(30));
    if (!answer) {
        fmt::print(stderr, "winipsec status: {}\n", answer.error().message);
        return exit_system;
    }
    const nlohmann::json& s = *answer;
    if (s.contains("ok") && !s.value("ok", true)) {
        fmt::print(stderr, "winipsec status: {}\n", text(s, "message"));
        return exit_system;
    }
    const bool failing = s.contains("error") && !s["error"].is_null();
    if (o.json) {
        fmt::print("{}\n", s.dump(2));
        return failing ? exit_input_errors : exit_ok;
    }
    const auto& a = s["applied"];
    fmt::print("winipsecd (pid {}) with {}, since {}\n", text(s, "pid"), text(s, "config"), text(s, "started_at"));
    fmt::print("enforcing: {} (from {} since {})\n", text(a, "summary"), text(a, "origin"), text(a, "since"));
    if (!text(a, "policy_where").empty()) fmt::print("  policy defined at {}\n", text(a, "policy_where"));
    fmt::print("boot ({}): {}\n", text(s["boot"], "mode"), text(s["boot"], "result"));
    fmt::print("sources:\n");
    for (const auto& src : s["sources"])
        fmt::print("  {} ({} {}): {}\n", text(src, "path"), text(src, "role"), text(src, "kind"), text(src, "state"));
    const auto& c = s["charon"];
    if (c.value("wanted", false))
        fmt::print("charon at {}: {}{}\n", text(c, "uri"), c.value("connected", false) ? "connected" : "not reachable",
                   text(c, "last_load").empty() ? "" : "; " + text(c, "last_load"));
    fmt::print("reloads: {} ({} failed); polling every {} s\n", text(s, "reloads"), text(s, "failed_reloads"),
               text(s, "poll_interval_seconds"));
    print_reload(s["last_reload"], "last reload");
    if (failing) {
        fmt::print("error: the last reload failed; the state above is still enforced\n");
        return exit_input_errors;
    }
    return exit_ok;
}

}  // namespace

VerbRunner add_status_verb(CLI::App& app) {
    auto options = std::make_shared<StatusOptions>();
    CLI::App* verb = app.add_subcommand("status", "what winipsecd enforces and how its last reload went");
    verb->footer(
        "Asks the running winipsecd over its control socket (root only). Exit status: 0 the last\n"
        "reload succeeded, 1 it failed (the previous state is still enforced; the errors are listed),\n"
        "3 the daemon is not reachable.");
    verb->add_option("--socket", options->socket, "winipsecd's control socket")->type_name("PATH");
    verb->add_flag("--json", options->json, "print the daemon's answer as JSON");
    return [options] { return run_status(*options); };
}

}  // namespace winipsec::cli
