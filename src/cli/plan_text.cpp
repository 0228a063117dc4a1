#include "cli/plan_text.hpp"

#include <fmt/format.h>

namespace winipsec::cli {

std::string render_plan_text(const plan::Plan& plan) {
    std::string out;
    out += fmt::format("# policy: {}\n", plan.policy ? "'" + plan.policy->name + "'" : std::string("none assigned"));
    std::string me;
    for (const auto& a : plan.me) me += fmt::format("{}{}", me.empty() ? "" : " ", a.to_string());
    out += fmt::format("# me: {}\n", me.empty() ? "(none)" : me);
    out += fmt::format("# NoDefaultExempt {}; {} rules in {} shape classes\n", plan.no_default_exempt,
                       plan.rules.size(), plan.classes.size());
    for (const auto& e : plan.exemptions) out += fmt::format("exempt {}: {}\n", to_string(e.kind), e.description);
    for (const auto& r : plan.rules) {
        std::string extra;
        if (r.tunnel_endpoint) extra += fmt::format(" tunnel {}", r.tunnel_endpoint->to_string());
        if (r.connection_type != ConnectionType::All)
            extra += fmt::format(" conntype {}", to_string(r.connection_type));
        out += fmt::format("{:>5} c{:<3} {:<8} {:<16} {}{}  # {}\n", r.rank + 1, r.shape_class,
                           plan::to_string(r.direction), r.verdict.name_for(r.direction), r.selector.to_string(), extra,
                           r.origin());
    }
    return out;
}

}  // namespace winipsec::cli
