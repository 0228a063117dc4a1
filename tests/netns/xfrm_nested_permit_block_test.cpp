// E11 (spec windows-ipsec.md §12): "require ESP" for a subnet, with a permit
// for one host inside it and a block for telnet to that host. The XFRM layer
// must see all three, in Windows' order, in both directions, because XFRM is
// consulted before the nft output hook (§9.2).
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;
using kernel::XfrmAction;
using kernel::XfrmDir;

namespace {

constexpr std::uint8_t tcp = 6;

StoreBuilder e11() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "198.51.100.0/24"})
        .filter("DNS", {.src = "me", .dst = "198.51.100.53"})
        .filter("Telnet", {.src = "me", .dst = "198.51.100.53", .protocol = tcp, .dport = 23})
        .rule("A", "Subnet", "ReqESP")
        .rule("B", "DNS", "Permit")
        .rule("C", "Telnet", "Block");
    return b;
}

}  // namespace

TEST_CASE("E11 nesting: block inside permit inside negotiate becomes three XFRM policies per direction in order") {
    const auto plan = build(e11(), options_with_me({"192.0.2.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);

    const char* const out_c = "src 192.0.2.1/32 dst 198.51.100.53/32 proto tcp dport 23";
    const char* const out_b = "src 192.0.2.1/32 dst 198.51.100.53/32";
    const char* const out_a = "src 192.0.2.1/32 dst 198.51.100.0/24";
    const char* const in_c = "src 198.51.100.53/32 dst 192.0.2.1/32 proto tcp sport 23";
    const char* const in_b = "src 198.51.100.53/32 dst 192.0.2.1/32";
    const char* const in_a = "src 198.51.100.0/24 dst 192.0.2.1/32";

    auto check = [&](const std::vector<kernel::XfrmPolicy>& all) {
        const auto* c = find_policy(all, XfrmDir::Out, out_c);
        const auto* b = find_policy(all, XfrmDir::Out, out_b);
        const auto* a = find_policy(all, XfrmDir::Out, out_a);
        const auto* ci = find_policy(all, XfrmDir::In, in_c);
        const auto* bi = find_policy(all, XfrmDir::In, in_b);
        const auto* ai = find_policy(all, XfrmDir::In, in_a);
        REQUIRE(c);
        REQUIRE(b);
        REQUIRE(a);
        REQUIRE(ci);
        REQUIRE(bi);
        REQUIRE(ai);
        CHECK(c->action == XfrmAction::Block);
        CHECK(c->templates.empty());
        CHECK(b->action == XfrmAction::Allow);
        CHECK(b->templates.empty());
        CHECK(a->action == XfrmAction::Allow);
        REQUIRE(a->templates.size() == 1);
        CHECK(a->templates[0].proto == kernel::XfrmProto::Esp);
        CHECK(a->templates[0].mode == kernel::XfrmMode::Transport);
        CHECK_FALSE(a->templates[0].optional);
        CHECK(a->templates[0].reqid != 0);
        CHECK(ci->action == XfrmAction::Block);
        CHECK(bi->action == XfrmAction::Allow);
        REQUIRE(ai->templates.size() == 1);
        CHECK(ai->templates[0].reqid == a->templates[0].reqid);  // one Windows rule, one reqid
        // Lower priority value = consulted first (spec §4.3): C, B, A.
        CHECK(c->priority < b->priority);
        CHECK(b->priority < a->priority);
        CHECK(ci->priority < bi->priority);
        CHECK(bi->priority < ai->priority);
        for (const auto* p : {c, b, a, ci, bi, ai}) {
            CHECK(p->priority >= kernel::xfrm_priority_rules);
            CHECK(p->priority < 68541);  // before every automatic strongSwan priority (spec §4.7)
            CHECK(p->ours());
        }
    };
    check(policies);
    // Only IKE is exempt on Server 2003 (NoDefaultExempt 3): UDP 500/4500 as
    // source or destination port, per direction, above every rule.
    CHECK(policies.size() == 6 + 8);
    for (const auto& p : policies)
        if (p.origin.starts_with("exemption")) CHECK(p.priority < kernel::xfrm_priority_rules);

    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    const auto applied = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    CHECK(applied->added == policies.size());

    const auto dumped = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(dumped);
    CHECK(dumped->size() == policies.size());
    check(*dumped);

    // iproute2's view of the same kernel state.
    const auto listing = ns.ip("xfrm policy list");
    REQUIRE(listing.status == 0);
    CHECK(count_lines_containing(listing.output, "src 192.0.2.1/32 dst 198.51.100.53/32 \n") == 1);
    CHECK(count_lines_containing(listing.output, "action block") == 2);
    CHECK(count_lines_containing(listing.output, "proto esp reqid") == 2);
    const auto out_block = ns.ip(std::string("xfrm policy get ") + out_c + " dir out");
    CHECK(out_block.output.find(fmt::format("dir out action block priority {}",
                                            find_policy(*dumped, XfrmDir::Out, out_c)->priority)) != std::string::npos);
}
