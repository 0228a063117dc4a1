// "Accept unsecured communication" (inpass) and "fall back to clear" (soft)
// (spec windows-ipsec.md §8.5, §9.3, E15) become `level use` templates in the
// direction where Windows lets clear packets through.
#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;
using kernel::XfrmDir;

namespace {

StoreBuilder three_kinds() {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .action("Inpass", ActionKind::Negotiate, true, false)
        .action("Soft", ActionKind::Negotiate, false, true)
        .filter("R", {.src = "me", .dst = "198.51.100.0/26"})
        .filter("I", {.src = "me", .dst = "198.51.100.64/26"})
        .filter("S", {.src = "me", .dst = "198.51.100.128/26"})
        .rule("require", "R", "Require")
        .rule("inpass", "I", "Inpass")
        .rule("soft", "S", "Soft");
    return b;
}

bool optional_at(const std::vector<kernel::XfrmPolicy>& all, XfrmDir dir, const std::string& selector) {
    const auto* p = find_policy(all, dir, selector);
    REQUIRE_MESSAGE(p, selector);
    REQUIRE(p->templates.size() == 1);
    return p->templates[0].optional;
}

}  // namespace

TEST_CASE("inpass gives inbound `level use`; soft gives `level use` both ways; require stays required") {
    const auto plan = build(three_kinds(), options_with_me({"192.0.2.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);

    auto check = [](const std::vector<kernel::XfrmPolicy>& all) {
        // require: clear packets dropped both ways.
        CHECK_FALSE(optional_at(all, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.0/26"));
        CHECK_FALSE(optional_at(all, XfrmDir::In, "src 198.51.100.0/26 dst 192.0.2.1/32"));
        // inpass: clear inbound accepted, replies still need IPsec.
        CHECK_FALSE(optional_at(all, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.64/26"));
        CHECK(optional_at(all, XfrmDir::In, "src 198.51.100.64/26 dst 192.0.2.1/32"));
        // soft: clear outbound while IKE runs/after it failed, and the clear
        // replies of that peer accepted (a required inbound template would
        // drop them; XFRM cannot restrict it to peers with a "soft SA").
        CHECK(optional_at(all, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.128/26"));
        CHECK(optional_at(all, XfrmDir::In, "src 198.51.100.128/26 dst 192.0.2.1/32"));
    };
    check(policies);

    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    const auto applied = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    const auto dumped = ns.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(dumped);
    check(*dumped);
    // iproute2 prints "level use" only for optional templates.
    const auto listing = ns.ip("xfrm policy list");
    CHECK(count_lines_containing(listing.output, "level use") == 3);
    const auto soft_out = ns.ip("xfrm policy get src 192.0.2.1/32 dst 198.51.100.128/26 dir out");
    CHECK(soft_out.output.find("level use") != std::string::npos);
    const auto inpass_out = ns.ip("xfrm policy get src 192.0.2.1/32 dst 198.51.100.64/26 dir out");
    CHECK(inpass_out.output.find("level use") == std::string::npos);
}

TEST_CASE("soft on a tunnel rule stays required outbound: the kernel refuses optional tunnel templates there") {
    StoreBuilder b;
    b.action("Soft", ActionKind::Negotiate, false, true)
        .filter("A2B", {.src = "192.0.2.0/25", .dst = "203.0.113.0/24", .mirrored = false})
        .rule("out", "A2B", "Soft", "198.51.100.2");
    const auto plan = build(b, options_with_me({"192.0.2.1"}));
    Diagnostics d;
    const auto policies = kernel::build_xfrm_policies(plan, d);
    CHECK(d.count("W-XFRM-SOFT-TUNNEL") == 1);
    const auto* out = find_policy(policies, XfrmDir::Out, "src 192.0.2.0/25 dst 203.0.113.0/24");
    REQUIRE(out);
    REQUIRE(out->templates.size() == 1);
    CHECK(out->templates[0].mode == kernel::XfrmMode::Tunnel);
    CHECK_FALSE(out->templates[0].optional);

    XFRM_NETNS_REQUIRE_ROOT();
    Netns ns;
    const auto applied = ns.run([&] { return kernel::apply_xfrm_policies(policies); });
    CHECK_MESSAGE(applied, (applied ? "" : applied.error().message));
}
