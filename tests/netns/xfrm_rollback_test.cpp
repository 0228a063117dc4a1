// XFRM has no transactions: when the kernel refuses one change of an apply,
// winipsec undoes the changes it already made, and the previous policies are
// in force again exactly as before (same selectors, content and indexes).
// The kernel's own reason (extended ack) is part of the error.
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;
using kernel::XfrmDir;

namespace {

StoreBuilder plan_with(const std::string& subnet, const std::string& blocked_host) {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = subnet})
        .filter("Host", {.src = "me", .dst = blocked_host})
        .rule("A", "Subnet", "ReqESP")
        .rule("B", "Host", "Block");
    return b;
}

// Old: negotiate 198.51.100.0/24 with a block for .5. New: the same subnet
// (unchanged), the block moved to .6 (one add, one removal), 203.0.113.0/24
// added, and the subnet policy re-prioritised (an update).
struct Scenario {
    std::vector<kernel::XfrmPolicy> old_policies, new_policies;
    Scenario() {
        old_policies = kernel::build_xfrm_policies(
            build(plan_with("198.51.100.0/24", "198.51.100.5"), options_with_me({"192.0.2.1"})));
        new_policies = kernel::build_xfrm_policies(
            build(plan_with("198.51.100.0/24", "198.51.100.6"), options_with_me({"192.0.2.1"})));
        for (auto& p : new_policies)
            if (!p.templates.empty()) p.priority += 1;
    }
};

}  // namespace

TEST_CASE("a NEWPOLICY the kernel refuses rolls the whole apply back and reports the kernel's reason") {
    XFRM_NETNS_REQUIRE_ROOT();
    const Scenario s;
    Netns ns;
    REQUIRE(ns.run([&] { return kernel::apply_xfrm_policies(s.old_policies); }));
    REQUIRE(ns.ip("xfrm policy add src 192.0.2.0/24 dst 203.0.113.9/32 dir out priority 3 action block").status == 0);
    const auto before = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(before);

    // Injected: a selector the kernel rejects (IPv4 prefix longer than 32),
    // after valid new policies, so adds have already happened.
    auto bad = s.new_policies;
    kernel::XfrmPolicy invalid = bad.back();
    invalid.selector.destination.length = 33;
    invalid.templates.clear();
    bad.push_back(invalid);

    const auto failed = ns.run([&] { return kernel::apply_xfrm_policies(bad); });
    REQUIRE_FALSE(failed);
    MESSAGE(failed.error().message);
    CHECK(failed.error().kind == Error::Kind::System);
    CHECK(failed.error().message.find("NEWPOLICY") != std::string::npos);
    CHECK(failed.error().message.find("Invalid argument") != std::string::npos);
    CHECK(failed.error().message.find("kernel: ") != std::string::npos);  // extended ack text
    CHECK(failed.error().message.find("were undone") != std::string::npos);

    const auto after = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(after);
    CHECK(sorted(*after) == sorted(*before));
}

TEST_CASE("a failure at the last removal undoes the adds, the updates and the earlier removals") {
    XFRM_NETNS_REQUIRE_ROOT();
    const Scenario s;
    Netns ns;
    REQUIRE(ns.run([&] { return kernel::apply_xfrm_policies(s.old_policies); }));
    const auto before = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(before);

    // Count the changes a clean apply would make, in a scratch namespace.
    std::size_t changes = 0;
    {
        Netns scratch;
        REQUIRE(scratch.run([&] { return kernel::apply_xfrm_policies(s.old_policies); }));
        const auto clean = scratch.run([&] { return kernel::apply_xfrm_policies(s.new_policies); });
        REQUIRE(clean);
        CHECK(clean->added == 2);    // the block for .6, out and in
        CHECK(clean->updated == 2);  // the subnet policy, out and in
        CHECK(clean->removed == 2);  // the block for .5, out and in
        changes = clean->added + clean->updated + clean->removed;
    }
    for (std::size_t at = 0; at < changes; ++at) {
        CAPTURE(at);
        const auto failed = ns.run([&] { return kernel::apply_xfrm_policies(s.new_policies, {.fail_at_change = at}); });
        REQUIRE_FALSE(failed);
        CHECK(failed.error().message.find("injected failure") != std::string::npos);
        const auto after = ns.run([] { return kernel::dump_xfrm_policies(); });
        REQUIRE(after);
        CHECK(sorted(*after) == sorted(*before));
    }
}

TEST_CASE("the kernel's extended ack names what it refused: optional tunnel template in an outbound policy") {
    XFRM_NETNS_REQUIRE_ROOT();
    kernel::XfrmPolicy p;
    p.selector = kernel::XfrmSelector::make(plan::Prefix::of(*IpAddress::parse("192.0.2.0"), 25),
                                            plan::Prefix::of(*IpAddress::parse("203.0.113.0"), 24));
    p.dir = XfrmDir::Out;
    p.priority = kernel::xfrm_priority_rules;
    kernel::XfrmTemplate t;
    t.mode = kernel::XfrmMode::Tunnel;
    t.destination = *IpAddress::parse("198.51.100.2");
    t.optional = true;
    p.templates = {t};
    Netns ns;
    const auto failed = ns.run([&] { return kernel::apply_xfrm_policies({p}); });
    REQUIRE_FALSE(failed);
    MESSAGE(failed.error().message);
    CHECK(failed.error().message.find("optional template") != std::string::npos);
    const auto after = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(after);
    CHECK(after->empty());
}
