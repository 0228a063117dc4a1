// 5 000 negotiate filters (10 000 XFRM policies, in and out, and the
// exemptions' bypass policies): a first apply
// installs them all, a changed apply updates them all, remove takes them
// all away, and each step reads back what it promised. The times are
// printed (the figures in README "BENCHMARK" come from here).
#include <sys/resource.h>

#include <chrono>

#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;

namespace {

constexpr int filters = 5'000;

StoreBuilder many_negotiate_filters() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate);
    for (int i = 0; i < filters; ++i) b.filter("Peers", {.src = "me", .dst = fmt::format("2001:db8:1::{:x}", i + 1)});
    b.rule("Peers", "Peers", "ReqESP");
    return b;
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);  // every thread, joined ones included
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs `fn`, prints its wall and CPU (user + sys) time: CPU time says more
// on a busy machine.
template <typename Fn>
auto timed(const char* what, Fn fn) {
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = cpu_seconds();
    auto result = fn();
    const auto took = std::chrono::steady_clock::now() - started;
    MESSAGE(fmt::format("{}: {} ms wall, {:.0f} ms CPU", what,
                        std::chrono::duration_cast<std::chrono::milliseconds>(took).count(),
                        (cpu_seconds() - cpu_started) * 1000));
    return result;
}

}  // namespace

TEST_CASE("5 000 negotiate filters: apply, changed apply and remove of over 10 000 XFRM policies") {
    XFRM_NETNS_REQUIRE_ROOT();
    const auto policies =
        kernel::build_xfrm_policies(build(many_negotiate_filters(), options_with_me({"192.0.2.1", "2001:db8::1"})));
    // In and out per filter, plus the exemptions' bypass policies.
    REQUIRE(policies.size() >= 2 * filters);
    auto changed = policies;
    for (auto& p : changed) p.priority += 1;

    Netns ns;
    const auto added =
        timed("apply (NEWPOLICY each)", [&] { return ns.run([&] { return kernel::apply_xfrm_policies(policies); }); });
    REQUIRE_MESSAGE(added, (added ? "" : added.error().message));
    CHECK(added->added == policies.size());

    const auto updated = timed("changed apply (UPDPOLICY each)",
                               [&] { return ns.run([&] { return kernel::apply_xfrm_policies(changed); }); });
    REQUIRE_MESSAGE(updated, (updated ? "" : updated.error().message));
    CHECK(updated->updated == policies.size());
    const auto installed = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(installed);
    CHECK(owned(*installed).size() == policies.size());

    const auto removed =
        timed("remove (DELPOLICY each)", [&] { return ns.run([] { return kernel::remove_xfrm_policies(); }); });
    REQUIRE_MESSAGE(removed, (removed ? "" : removed.error().message));
    const auto after = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(after);
    CHECK(owned(*after).empty());
}
