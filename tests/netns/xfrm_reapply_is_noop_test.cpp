// Applying the same plan twice changes nothing, even when a caller hands in
// selectors with host bits: the kernel compares raw selector bytes (spec
// linux-targets.md §4.2), so winipsec canonicalises before diffing.
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;

namespace {

StoreBuilder subnet_with_block() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "198.51.100.0/24"})
        .filter("Ntp", {.src = "me", .dst = "198.51.100.0/25", .protocol = 17, .dport = 123})
        .rule("A", "Subnet", "ReqESP")
        .rule("B", "Ntp", "Block");
    return b;
}

}  // namespace

TEST_CASE("a second apply of the same policies is a no-op; host bits in a selector do not make a new policy") {
    const auto plan = build(subnet_with_block(), options_with_me({"192.0.2.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);
    for (const auto& p : policies) CHECK(p.selector.is_canonical());

    // The same policies as a careless caller might spell them.
    auto with_host_bits = policies;
    for (auto& p : with_host_bits) {
        if (p.selector.destination.length == 24) p.selector.destination.address.bytes[3] = 77;
        if (p.selector.source.length == 24) p.selector.source.address.bytes[3] = 77;
    }
    CHECK(with_host_bits != policies);
    {
        const auto canonical = kernel::XfrmSelector::make(plan::Prefix{*IpAddress::parse("198.51.100.77"), 24},
                                                          plan::Prefix::any(IpFamily::V4), 17, 0, 123);
        CHECK(canonical.destination_port_mask == 0xffff);
        CHECK(canonical.source_port_mask == 0);
        CHECK(canonical.source.to_string() == "198.51.100.0/24");
    }

    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    const auto first = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(first, (first ? "" : first.error().message));
    CHECK(first->added == policies.size());
    const auto before = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(before);

    const auto second = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE(second);
    CHECK(second->added == 0);
    CHECK(second->updated == 0);
    CHECK(second->removed == 0);
    CHECK(second->unchanged == policies.size());

    const auto third = ns.run([&] { return kernel::apply_xfrm_policies(with_host_bits); });
    REQUIRE_MESSAGE(third, (third ? "" : third.error().message));
    CHECK(third->added == 0);
    CHECK(third->updated == 0);
    CHECK(third->removed == 0);
    CHECK(third->unchanged == policies.size());

    const auto after = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(after);
    CHECK(*after == *before);  // same policies, same indexes, same order
    CHECK(ns.ip("xfrm policy list").output.find(".77") == std::string::npos);

    // A changed priority is an UPDPOLICY that keeps the index (spec §4.2).
    auto reprioritised = policies;
    reprioritised.back().priority += 50;
    const auto fourth = ns.run([&] { return kernel::apply_xfrm_policies(reprioritised); });
    REQUIRE_MESSAGE(fourth, (fourth ? "" : fourth.error().message));
    CHECK(fourth->updated == 1);
    CHECK(fourth->added == 0);
    const auto updated = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(updated);
    const auto* p = find_policy(*updated, reprioritised.back().dir, reprioritised.back().selector.to_string());
    REQUIRE(p);
    CHECK(p->priority == reprioritised.back().priority);
    CHECK(p->index == find_policy(*before, p->dir, p->selector.to_string())->index);
}
