// Plans generated blocklist policies (the shape of corpus sample 19: one
// mirrored block filter per source subnet, plus a permit for the host's own
// traffic) and reports seconds and peak RSS, side by side in one run, with
// the 100 000 : 10 000 ratio that shows how planning scales.
//   meson compile -C build plan_bench && ./build/bench/plan_bench [N...]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "plan/build_plan.hpp"

using namespace winipsec;

namespace {

PolicyStore blocklist(std::size_t n) {
    PolicyStore store;
    auto file = std::make_shared<const std::string>("generated.netsh");
    Policy p;
    p.name = "blocklist";
    p.assigned = true;
    p.where = {file, 1, 1};
    FilterAction block;
    block.name = "Block";
    block.action = ActionKind::Block;
    FilterAction permit;
    permit.name = "Permit";
    permit.action = ActionKind::Permit;
    store.filter_actions = {block, permit};
    FilterList list;
    list.name = "blocked";
    list.filters.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Filter f;
        // distinct /24s from 10.0.0.0 upwards
        f.source = FilterAddress::specific(IpAddress::v4(static_cast<std::uint32_t>((10u << 24) + (i << 8))), 24);
        f.destination = FilterAddress::any();
        f.where = {file, static_cast<int>(i) + 2, 1};
        list.filters.push_back(f);
    }
    FilterList local;
    local.name = "local";
    Filter l;
    l.source = FilterAddress::me();
    l.destination = FilterAddress::specific(*IpAddress::parse("192.0.2.0"), 24);
    local.filters.push_back(l);
    store.filter_lists = {list, local};
    Rule r1;
    r1.name = "block";
    r1.filter_list = "blocked";
    r1.filter_action = "Block";
    Rule r2;
    r2.name = "local";
    r2.filter_list = "local";
    r2.filter_action = "Permit";
    p.rules = {r1, r2};
    store.policies.push_back(p);
    return store;
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes = {10, 1000, 10000, 100000};
    if (argc > 1) {
        sizes.clear();
        for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
    }
    fmt::print("{:>8} {:>10} {:>10} {:>8} {:>12}\n", "filters", "rules", "seconds", "classes", "peak RSS MiB");
    std::vector<double> seconds;
    for (const auto n : sizes) {
        const PolicyStore store = blocklist(n);
        plan::PlanOptions o;
        o.me = {*IpAddress::parse("192.0.2.10")};
        o.resolve_from_host = false;
        Diagnostics d;
        const auto t0 = std::chrono::steady_clock::now();
        const plan::Plan plan = plan::build_plan(store, o, d);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        seconds.push_back(s);
        fmt::print("{:>8} {:>10} {:>10.4f} {:>8} {:>12.1f}\n", n, plan.rules.size(), s, plan.classes.size(),
                   static_cast<double>(peak_rss_kib()) / 1024.0);
    }
    if (seconds.size() >= 2 && seconds[seconds.size() - 2] > 0)
        fmt::print("ratio {}:{} filters = {:.2f} (10.0 = linear)\n", sizes.back(), sizes[sizes.size() - 2],
                   seconds.back() / seconds[seconds.size() - 2]);
    return 0;
}
