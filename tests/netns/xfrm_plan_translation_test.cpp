// What build_xfrm_policies() decides, without a kernel: which rules XFRM
// sees, tunnel pairing (E12), template order for AH+ESP, reqids, exemptions.
// These run unprivileged.
#include <set>

#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;
using kernel::XfrmAction;
using kernel::XfrmDir;
using kernel::XfrmMode;
using kernel::XfrmProto;

namespace {

constexpr std::uint8_t tcp = 6, udp = 17;

std::size_t count_dir(const std::vector<kernel::XfrmPolicy>& all, XfrmDir dir, bool rules_only = true) {
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const auto& p) {
        return p.dir == dir && (!rules_only || !p.origin.starts_with("exemption"));
    }));
}

// E12 on gateway GA (198.51.100.1, LAN 192.0.2.0/24) towards GB
// (203.0.113.2, LAN 203.0.113.128/25).
StoreBuilder e12() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("A2B", {.src = "192.0.2.0/24", .dst = "203.0.113.128/25", .mirrored = false})
        .filter("B2A", {.src = "203.0.113.128/25", .dst = "192.0.2.0/24", .mirrored = false})
        .rule("out", "A2B", "ReqESP", "203.0.113.2")
        .rule("in", "B2A", "ReqESP", "198.51.100.1");
    return b;
}

}  // namespace

TEST_CASE("E12 site-to-site: out tunnels to the peer, in and fwd accept only from it, one reqid for both") {
    const auto plan = build(e12(), options_with_me({"198.51.100.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);
    const auto* out = find_policy(policies, XfrmDir::Out, "src 192.0.2.0/24 dst 203.0.113.128/25");
    const auto* in = find_policy(policies, XfrmDir::In, "src 203.0.113.128/25 dst 192.0.2.0/24");
    const auto* fwd = find_policy(policies, XfrmDir::Fwd, "src 203.0.113.128/25 dst 192.0.2.0/24");
    REQUIRE(out);
    REQUIRE(in);
    REQUIRE(fwd);
    // The copies running against the tunnels must not exist: an `in`/`fwd`
    // policy for LAN -> remote would demand a tunnel SA from the clear LAN
    // traffic the gateway forwards.
    CHECK_FALSE(find_policy(policies, XfrmDir::In, "src 192.0.2.0/24 dst 203.0.113.128/25"));
    CHECK_FALSE(find_policy(policies, XfrmDir::Fwd, "src 192.0.2.0/24 dst 203.0.113.128/25"));
    CHECK_FALSE(find_policy(policies, XfrmDir::Out, "src 203.0.113.128/25 dst 192.0.2.0/24"));
    CHECK(count_dir(policies, XfrmDir::Out) == 1);
    CHECK(count_dir(policies, XfrmDir::In) == 1);
    CHECK(count_dir(policies, XfrmDir::Fwd) == 1);

    REQUIRE(out->templates.size() == 1);
    const auto& t_out = out->templates[0];
    CHECK(t_out.mode == XfrmMode::Tunnel);
    CHECK(t_out.source == IpAddress::parse("198.51.100.1"));
    CHECK(t_out.destination == IpAddress::parse("203.0.113.2"));
    for (const auto* p : {in, fwd}) {
        REQUIRE(p->templates.size() == 1);
        CHECK(p->templates[0].mode == XfrmMode::Tunnel);
        CHECK(p->templates[0].source == IpAddress::parse("203.0.113.2"));
        CHECK(p->templates[0].destination == IpAddress::parse("198.51.100.1"));
        CHECK(p->templates[0].reqid == t_out.reqid);
    }
    const auto reqids = kernel::xfrm_reqids(plan);
    REQUIRE(reqids.size() == 2);
    CHECK(reqids.begin()->second == std::next(reqids.begin())->second);
}

TEST_CASE("an inbound tunnel rule without a partner accepts the tunnel from any peer") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("B2A", {.src = "203.0.113.128/25", .dst = "192.0.2.0/24", .mirrored = false})
        .rule("in", "B2A", "ReqESP", "198.51.100.1");
    Diagnostics d;
    const auto policies = kernel::build_xfrm_policies(build(b, options_with_me({"198.51.100.1"})), d);
    CHECK(d.count("N-XFRM-TUNNEL-ANY-PEER") == 1);
    const auto* in = find_policy(policies, XfrmDir::In, "src 203.0.113.128/25 dst 192.0.2.0/24");
    REQUIRE(in);
    REQUIRE(in->templates.size() == 1);
    CHECK_FALSE(in->templates[0].source);
    CHECK(in->templates[0].destination == IpAddress::parse("198.51.100.1"));
    CHECK(count_dir(policies, XfrmDir::Out) == 0);
}

TEST_CASE("AH+ESP is one bundle: ESP inner (first), AH outer (last); in tunnel mode only ESP is the tunnel") {
    StoreBuilder b;
    b.action("Both", ActionKind::Negotiate)
        .action("AhOnly", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "198.51.100.0/24"})
        .filter("T", {.src = "192.0.2.0/24", .dst = "203.0.113.128/25", .mirrored = false})
        .filter("H", {.src = "me", .dst = "203.0.113.7"})
        .rule("transport", "L", "Both")
        .rule("tunnel", "T", "Both", "203.0.113.2")
        .rule("ah", "H", "AhOnly");
    QuickModeOffer both;
    both.ah = Integrity::Sha1;
    both.esp = EspTransform{};
    QuickModeOffer esp_only, ah_only;
    esp_only.esp = EspTransform{};
    ah_only.ah = Integrity::Md5;
    b.store.find_filter_action("Both")->offers = {both, esp_only};
    b.store.find_filter_action("AhOnly")->offers = {ah_only};
    const auto policies = kernel::build_xfrm_policies(build(b, options_with_me({"192.0.2.1"})));

    const auto* transport = find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.0/24");
    REQUIRE(transport);
    REQUIRE(transport->templates.size() == 2);
    CHECK(transport->templates[0].proto == XfrmProto::Esp);
    CHECK(transport->templates[1].proto == XfrmProto::Ah);
    CHECK(transport->templates[1].mode == XfrmMode::Transport);

    const auto* tunnel = find_policy(policies, XfrmDir::Out, "src 192.0.2.0/24 dst 203.0.113.128/25");
    REQUIRE(tunnel);
    REQUIRE(tunnel->templates.size() == 2);
    CHECK(tunnel->templates[0].proto == XfrmProto::Esp);
    CHECK(tunnel->templates[0].mode == XfrmMode::Tunnel);
    CHECK(tunnel->templates[1].proto == XfrmProto::Ah);
    CHECK(tunnel->templates[1].mode == XfrmMode::Transport);

    const auto* ah = find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.7/32");
    REQUIRE(ah);
    REQUIRE(ah->templates.size() == 1);
    CHECK(ah->templates[0].proto == XfrmProto::Ah);
}

TEST_CASE("permit/block rules reach XFRM only when they pre-empt a negotiate rule, transitively") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "198.51.100.0/24"})
        // Inside the negotiate subnet: must be in XFRM.
        .filter("Host", {.src = "me", .dst = "198.51.100.53"})
        // Outside it: nftables' business only.
        .filter("Other", {.src = "me", .dst = "203.0.113.0/24", .protocol = tcp, .dport = 25})
        // Consulted after the negotiate rule (less specific): never reaches it first.
        .filter("All", {.src = "me", .dst = "any"})
        // Inside the permit, consulted first: an XFRM block.
        .filter("Telnet", {.src = "me", .dst = "198.51.100.53", .protocol = tcp, .dport = 23})
        .rule("A", "Subnet", "ReqESP")
        .rule("B", "Host", "Permit")
        .rule("C", "Other", "Block")
        .rule("D", "All", "Block")
        .rule("E", "Telnet", "Block");
    const auto policies = kernel::build_xfrm_policies(build(b, options_with_me({"192.0.2.1"})));
    CHECK(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.53/32"));
    CHECK(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.53/32 proto tcp dport 23"));
    CHECK_FALSE(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.0/24 proto tcp dport 25"));
    CHECK_FALSE(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 0.0.0.0/0"));
    CHECK(count_dir(policies, XfrmDir::Out) == 3);
    CHECK(count_dir(policies, XfrmDir::In) == 3);
    CHECK(count_dir(policies, XfrmDir::Fwd) == 0);  // transport rules do not see routed traffic (spec §8.1)
}

TEST_CASE("a permit consulted before a block that XFRM sees is in XFRM even where no negotiate rule is") {
    // Protocol tie-break: "ICMP anywhere" is consulted before the subnet.
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "198.51.100.0/24", .mirrored = false})
        .filter("Icmp", {.src = "me", .dst = "any", .protocol = 1, .mirrored = false})
        .filter("Ping", {.src = "me", .dst = "203.0.113.5", .protocol = 1, .mirrored = false})
        .rule("A", "Subnet", "ReqESP")
        .rule("B", "Icmp", "Block")
        .rule("C", "Ping", "Permit");
    auto options = options_with_me({"192.0.2.1"});
    options.tie_break = plan::TieBreak::Protocol;
    const auto policies = kernel::build_xfrm_policies(build(b, options));
    const auto* block = find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 0.0.0.0/0 proto icmp");
    const auto* ping = find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.5/32 proto icmp");
    REQUIRE(block);
    // Without the permit in XFRM, the XFRM block would drop pings Windows lets
    // through, although they never meet the negotiate rule.
    REQUIRE(ping);
    CHECK(ping->action == XfrmAction::Allow);
    CHECK(ping->priority < block->priority);
}

TEST_CASE("a port with protocol ANY becomes a TCP and a UDP selector; ports of other protocols are dropped") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("Any80", {.src = "me", .dst = "198.51.100.0/24", .dport = 80, .mirrored = false})
        .filter("Icmp", {.src = "me", .dst = "203.0.113.0/24", .protocol = 1, .dport = 8, .mirrored = false})
        .rule("A", "Any80", "ReqESP")
        .rule("B", "Icmp", "ReqESP");
    Diagnostics d;
    const auto policies = kernel::build_xfrm_policies(build(b, options_with_me({"192.0.2.1"})), d);
    CHECK(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.0/24 proto tcp dport 80"));
    CHECK(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 198.51.100.0/24 proto udp dport 80"));
    CHECK(find_policy(policies, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.0/24 proto icmp"));
    CHECK(d.count("W-XFRM-PORTS-ANY-PROTOCOL") == 1);
}

TEST_CASE("exemptions: Kerberos, RSVP, multicast (NoDefaultExempt 0), IPv6 ND; only where a negotiate rule overlaps") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("Web", {.src = "me", .dst = "198.51.100.0/24", .protocol = tcp, .dport = 443})
        .filter("All6", {.src = "me", .dst = "::/0"})
        .rule("web", "Web", "ReqESP")
        .rule("all6", "All6", "ReqESP");
    auto options = options_with_me({"192.0.2.1", "2001:db8::1"});
    options.no_default_exempt = 0;
    const auto policies = kernel::build_xfrm_policies(build(b, options));
    std::vector<std::string> v4, v6;
    for (const auto& p : policies) {
        if (!p.origin.starts_with("exemption") || p.dir != XfrmDir::Out) continue;
        CHECK(p.action == XfrmAction::Allow);
        CHECK(p.templates.empty());
        CHECK(p.priority < kernel::xfrm_priority_rules);
        (p.selector.family() == IpFamily::V4 ? v4 : v6).push_back(p.selector.to_string());
    }
    // IPv4: the negotiate rule is TCP to port 443 only: Kerberos over TCP
    // (source port 88 to 443) is the one exemption it can meet.
    CHECK(v4 == std::vector<std::string>{"src 0.0.0.0/0 dst 0.0.0.0/0 proto tcp sport 88"});
    // IPv6: every protocol: IKE 4, Kerberos 4, RSVP 1, multicast 1, and
    // neighbour discovery 5 (Linux's own need, not a Windows exemption).
    CHECK(v6.size() == 15);
    CHECK(std::find(v6.begin(), v6.end(), "src ::/0 dst ::/0 proto 58 type 135") != v6.end());
    CHECK(std::find(v6.begin(), v6.end(), "src ::/0 dst ff00::/8") != v6.end());
    CHECK(std::find(v6.begin(), v6.end(), "src ::/0 dst ::/0 proto 46") != v6.end());
}

TEST_CASE("reqids are stable: the same Windows rule gets the same reqid whatever else the plan holds") {
    StoreBuilder small;
    small.action("ReqESP", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "198.51.100.0/24"})
        .rule("Secure LAN", "L", "ReqESP");
    StoreBuilder big = small;
    big.filter("M", {.src = "me", .dst = "203.0.113.0/24"}).rule("Another", "M", "ReqESP");
    const auto a = kernel::build_xfrm_policies(build(small, options_with_me({"192.0.2.1"})));
    const auto b = kernel::build_xfrm_policies(build(big, options_with_me({"192.0.2.1"})));
    const char* sel = "src 192.0.2.1/32 dst 198.51.100.0/24";
    REQUIRE(find_policy(a, XfrmDir::Out, sel));
    REQUIRE(find_policy(b, XfrmDir::Out, sel));
    const auto reqid = find_policy(a, XfrmDir::Out, sel)->templates.at(0).reqid;
    CHECK(reqid == find_policy(b, XfrmDir::Out, sel)->templates.at(0).reqid);
    CHECK((reqid & 0xFF000000u) == 0x01000000u);
    CHECK(find_policy(b, XfrmDir::Out, "src 192.0.2.1/32 dst 203.0.113.0/24")->templates.at(0).reqid != reqid);
}

TEST_CASE("indexes carry winipsec's tag and the direction in the low 3 bits; all distinct") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("T", {.src = "192.0.2.0/24", .dst = "203.0.113.128/25", .mirrored = false})
        .filter("R", {.src = "203.0.113.128/25", .dst = "192.0.2.0/24", .mirrored = false})
        .rule("out", "T", "ReqESP", "203.0.113.2")
        .rule("in", "R", "ReqESP", "192.0.2.1");
    const auto policies = kernel::build_xfrm_policies(build(b, options_with_me({"192.0.2.1"})));
    std::set<std::uint32_t> seen;
    for (const auto& p : policies) {
        CHECK(kernel::is_xfrm_index_ours(p.index));
        CHECK((p.index & 7) == static_cast<std::uint32_t>(p.dir));
        CHECK(seen.insert(p.index).second);
        CHECK(p.ours());
    }
}
