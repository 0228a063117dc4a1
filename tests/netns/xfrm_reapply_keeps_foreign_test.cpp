// winipsec shares the SPD with charon and with administrators: a re-apply
// with a changed plan replaces only winipsec's own policies, a foreign policy
// on a selector winipsec wants is reported and left alone, and `remove`
// deletes exactly what winipsec installed (spec linux-targets.md §4.8).
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;
using kernel::XfrmDir;

namespace {

StoreBuilder negotiate_with(const std::string& subnet) {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("Subnet", {.src = "me", .dst = subnet})
        .rule("A", "Subnet", "ReqESP");
    return b;
}

std::size_t count_ours(const std::vector<kernel::XfrmPolicy>& all) {
    return owned(all).size();
}

}  // namespace

TEST_CASE("re-apply with a changed plan replaces winipsec's policies and leaves foreign ones untouched") {
    const auto plan1 = build(negotiate_with("198.51.100.0/24"), options_with_me({"192.0.2.1"}));
    const auto plan2 = build(negotiate_with("203.0.113.0/24"), options_with_me({"192.0.2.1"}));
    const auto policies1 = kernel::build_xfrm_policies(plan1);
    const auto policies2 = kernel::build_xfrm_policies(plan2);

    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    // Foreign: an administrator's block (kernel-chosen index), one in
    // winipsec's priority band but without its index tag, and one that
    // occupies an identity plan2 wants (charon's IKE bypass with port_bypass
    // would look like this).
    REQUIRE(ns.ip("xfrm policy add src 192.0.2.0/24 dst 203.0.113.77/32 dir out priority 10 action block").status == 0);
    REQUIRE(ns.ip("xfrm policy add src 192.0.2.1/32 dst 198.51.100.0/24 dir fwd priority 2000 action allow").status ==
            0);
    const auto first = ns.run([&] { return kernel::apply_xfrm_policies(policies1); });
    REQUIRE_MESSAGE(first, (first ? "" : first.error().message));
    CHECK(first->conflicts.empty());
    REQUIRE(ns.ip("xfrm policy add src 192.0.2.1/32 dst 203.0.113.0/24 dir in priority 7 action allow").status == 0);

    const auto second = ns.run([&] { return kernel::apply_xfrm_policies(policies2); });
    REQUIRE_MESSAGE(second, (second ? "" : second.error().message));
    // The IKE exemptions are the same in both plans; the two rule policies change.
    CHECK(second->unchanged == 8);
    CHECK(second->added == 2);
    CHECK(second->removed == 2);
    CHECK(second->conflicts.empty());  // the foreign `in` policy has another selector than ours (src/dst swapped)

    const auto dumped = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(dumped);
    CHECK(count_ours(*dumped) == policies2.size());
    CHECK(dumped->size() == policies2.size() + 3);
    CHECK_FALSE(find_policy(*dumped, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.0/24"));
    CHECK(find_policy(*dumped, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.0/24"));
    const auto* admin = find_policy(*dumped, XfrmDir::Out, "src 192.0.2.0/24 dst 203.0.113.77/32");
    REQUIRE(admin);
    CHECK_FALSE(admin->ours());
    CHECK(admin->priority == 10);
    const auto* in_band = find_policy(*dumped, XfrmDir::Fwd, "src 192.0.2.1/32 dst 198.51.100.0/24");
    REQUIRE(in_band);
    CHECK_FALSE(in_band->ours());

    // The same identity cannot be added by someone else while winipsec holds
    // it: NEWPOLICY gives EEXIST (spec §4.2).
    const auto clash = ns.ip("xfrm policy add src 203.0.113.0/24 dst 192.0.2.1/32 dir in priority 5 action block");
    CHECK(clash.status != 0);
    CHECK(clash.output.find("File exists") != std::string::npos);

    // A foreign policy on a selector winipsec wants, there first: reported,
    // not touched.
    REQUIRE(ns.run([] { return kernel::remove_xfrm_policies(); }));
    REQUIRE(ns.ip("xfrm policy add src 203.0.113.0/24 dst 192.0.2.1/32 dir in priority 5 action block").status == 0);
    const auto fourth = ns.run([&] { return kernel::apply_xfrm_policies(policies2); });
    REQUIRE_MESSAGE(fourth, (fourth ? "" : fourth.error().message));
    REQUIRE(fourth->conflicts.size() == 1);
    CHECK(fourth->conflicts[0].find("src 203.0.113.0/24 dst 192.0.2.1/32") != std::string::npos);
    CHECK(fourth->added == policies2.size() - 1);
    const auto taken = ns.ip("xfrm policy get src 203.0.113.0/24 dst 192.0.2.1/32 dir in");
    CHECK(taken.output.find("action block priority 5") != std::string::npos);

    // remove deletes exactly winipsec's policies.
    const auto removed = ns.run([] { return kernel::remove_xfrm_policies(); });
    REQUIRE_MESSAGE(removed, (removed ? "" : removed.error().message));
    const auto left = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(left);
    CHECK(count_ours(*left) == 0);
    CHECK(left->size() == 4);  // admin block, in-band fwd, the `in` allow, the conflicting block
}

TEST_CASE("an index a foreign policy already uses is not reused: the kernel would silently replace it") {
    const auto plan = build(negotiate_with("198.51.100.0/24"), options_with_me({"192.0.2.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);
    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    // Someone took the index winipsec would have given its first policy.
    const auto taken = policies.front().index;
    REQUIRE(ns.ip(fmt::format("xfrm policy add src 192.0.2.0/24 dst 203.0.113.0/24 dir {} index {} priority 99999 "
                              "action allow",
                              kernel::to_string(policies.front().dir), taken))
                .status == 0);
    const auto applied = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    CHECK(applied->added == policies.size());
    const auto dumped = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(dumped);
    CHECK(count_ours(*dumped) == policies.size());  // every one kept a winipsec index
    const auto* first = find_policy(*dumped, policies.front().dir, policies.front().selector.to_string());
    REQUIRE(first);
    CHECK(first->index != taken);
    CHECK(kernel::is_xfrm_index_ours(first->index));
}
