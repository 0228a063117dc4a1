// winipsec explain: what Windows would do with one packet, and why.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/diagnostic_output.hpp"
#include "cli/exit_status.hpp"
#include "cli/input_options.hpp"
#include "cli/load_inputs.hpp"
#include "cli/plan_options.hpp"
#include "cli/verbs.hpp"
#include "model/filter.hpp"
#include "plan/build_plan.hpp"
#include "plan/explain.hpp"

namespace winipsec::cli {
namespace {

struct ExplainOptions {
    InputOptions input;
    PlanCliOptions plan;
    std::string src, dst, proto = "any";
    int sport = 0, dport = 0;
    bool verbose = false;
};

std::optional<std::uint8_t> parse_protocol(const std::string& p) {
    if (p == "any") return std::uint8_t{0};
    if (p == "tcp") return protocol::tcp;
    if (p == "udp") return protocol::udp;
    if (p == "icmp") return protocol::icmp;
    if (p == "esp") return std::uint8_t{50};
    if (p == "ah") return std::uint8_t{51};
    try {
        std::size_t used = 0;
        const int n = std::stoi(p, &used);
        if (used == p.size() && n >= 0 && n <= 255) return static_cast<std::uint8_t>(n);
    } catch (...) {
    }
    return std::nullopt;
}

int run_explain(const ExplainOptions& o) {
    plan::Packet packet;
    const auto src = IpAddress::parse(o.src);
    const auto dst = IpAddress::parse(o.dst);
    const auto proto = parse_protocol(o.proto);
    if (!src || !dst || !proto || src->family != dst->family) {
        fmt::print(stderr,
                   "winipsec explain: --src and --dst must be addresses of one family and --proto "
                   "tcp|udp|icmp|esp|ah|any|0-255\n");
        return exit_usage;
    }
    packet = {*src, *dst, *proto, static_cast<std::uint16_t>(o.sport), static_cast<std::uint16_t>(o.dport)};
    auto loaded = load_inputs("explain", o.input, o.plan);
    if (!loaded) return loaded.error();
    auto& imported = loaded->imported;
    const plan::PlanOptions& plan_options = loaded->plan_options;
    const plan::Plan plan = plan::build_plan(imported.store, plan_options, imported.diagnostics);
    print_diagnostics(imported.diagnostics, {.notes = o.verbose});
    if (imported.diagnostics.has_errors())
        fmt::print(stderr, "winipsec explain: the input has errors; the answer covers what could be read\n");

    const auto e = plan::explain(plan, packet);
    std::string first = fmt::format("{} {}", e.verdict, plan::to_string(e.direction));
    if (e.winner)
        first += fmt::format(" policy '{}' rule '{}' filter list '{}' {}", e.winner->policy->name, e.winner->rule->name,
                             e.winner->filter_list->name, e.winner->filter->where.to_string());
    fmt::print("{}\n", first);
    for (const auto& reason : e.reasons) fmt::print("  {}\n", reason);
    if (!e.exemption) {
        std::string ex;
        for (const auto& x : plan.exemptions) ex += fmt::format("{}{}", ex.empty() ? "" : ", ", to_string(x.kind));
        fmt::print("  exemptions checked first (NoDefaultExempt {}): {}; none applied\n", plan.no_default_exempt, ex);
    }
    return exit_ok;
}

}  // namespace

VerbRunner add_explain_verb(CLI::App& app) {
    auto options = std::make_shared<ExplainOptions>();
    CLI::App* verb = app.add_subcommand("explain", "say what Windows would do with one packet, and why");
    verb->footer(
        "The first line is one of block, permit, negotiate, negotiate-inpass, negotiate-soft, exempt or\n"
        "none (no filter matches: Windows passes it in clear), the direction (inbound, outbound, both)\n"
        "and the winning filter's policy, rule, filter list and source location. Following lines say\n"
        "why it won. Exit status 0 whenever the question was answered.");
    options->input.add_to(*verb);
    options->plan.add_to(*verb);
    verb->add_option("--src", options->src, "source address of the packet")->required()->type_name("ADDR");
    verb->add_option("--dst", options->dst, "destination address of the packet")->required()->type_name("ADDR");
    verb->add_option("--proto", options->proto, "tcp, udp, icmp, esp, ah, any or a number")->default_val("any");
    verb->add_option("--sport", options->sport, "source port")->check(CLI::Range(0, 65535));
    verb->add_option("--dport", options->dport, "destination port")->check(CLI::Range(0, 65535));
    verb->add_flag("-v,--verbose", options->verbose, "also print notes");
    return [options] { return run_explain(*options); };
}

}  // namespace winipsec::cli
