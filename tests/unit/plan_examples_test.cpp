// The worked examples of spec windows-ipsec.md §12 that concern meaning,
// asked of the plan the way `winipsec explain` asks.
#include <doctest/doctest.h>

#include "plan_fixture.hpp"

using namespace winipsec;
using namespace winipsec::test;
using plan::explain;
using plan::PacketDirection;

namespace {
constexpr std::uint8_t tcp = 6, udp = 17, icmp = 1;
const char* const H = "192.0.2.10";

plan::Plan build(const StoreBuilder& b, plan::PlanOptions o, Diagnostics& d) {
    static std::vector<std::unique_ptr<PolicyStore>> keep;  // plans point into their store
    keep.push_back(std::make_unique<PolicyStore>(b.store));
    return plan::build_plan(*keep.back(), o, d);
}
}  // namespace

TEST_CASE("E1 mirrored filter with a port: inbound to port 80 and its mirror negotiate, client traffic does not") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("HTTP-LAN", {.src = "me", .dst = "198.51.100.0/24", .protocol = tcp, .sport = 80})
        .rule("SecHTTP", "HTTP-LAN", "ReqESP");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    auto in = explain(p, packet("198.51.100.7", H, tcp, 5000, 80));
    CHECK(in.verdict == "negotiate");
    CHECK(in.direction == PacketDirection::Inbound);
    CHECK(explain(p, packet(H, "198.51.100.7", tcp, 80, 5000)).verdict == "negotiate");
    // H's own connections TO port 80 have an ephemeral source port: not matched.
    CHECK(explain(p, packet(H, "198.51.100.7", tcp, 40000, 80)).verdict == "none");
    CHECK(explain(p, packet("203.0.113.1", H, tcp, 5000, 80)).verdict == "none");
}

TEST_CASE("E2 block all except RDP: the strict subset wins regardless of rule order; DNS cut off is reported") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("RDP", {.src = "any", .dst = "me", .protocol = tcp, .dport = 3389})
        .rule("r1", "All", "Block")
        .rule("r2", "RDP", "Permit");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    const auto rdp = explain(p, packet("203.0.113.5", H, tcp, 50000, 3389));
    CHECK(rdp.verdict == "permit");
    REQUIRE(rdp.winner);
    CHECK(rdp.winner->rule->name == "r2");
    CHECK(explain(p, packet(H, "203.0.113.5", tcp, 3389, 50000)).verdict == "permit");
    CHECK(explain(p, packet("203.0.113.5", H, udp, 53, 40000)).verdict == "block");
    CHECK(explain(p, packet(H, "203.0.113.5", udp, 40000, 53)).verdict == "block");
    CHECK(d.count("W-LINT-BLOCKS-INFRASTRUCTURE") >= 1);
    // IKE is always exempt (NoDefaultExempt 3 on Server 2003).
    CHECK(explain(p, packet("203.0.113.5", H, udp, 500, 500)).verdict == "exempt");
}

TEST_CASE("E3 one-direction block: inbound to UDP 1434 blocked, replies from 1434 untouched") {
    StoreBuilder b;
    b.action("BLOCK", ActionKind::Block)
        .filter("in", {.src = "any", .dst = "me", .protocol = udp, .dport = 1434, .mirrored = false})
        .rule("Block Inbound UDP 1434 Rule", "in", "BLOCK");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    const auto e = explain(p, packet("203.0.113.9", H, udp, 3333, 1434));
    CHECK(e.verdict == "block");
    CHECK(e.direction == PacketDirection::Inbound);
    CHECK(explain(p, packet(H, "203.0.113.9", udp, 1434, 3333)).verdict == "none");
    CHECK(explain(p, packet("203.0.113.9", H, udp, 1434, 3333)).verdict == "none");
    CHECK(explain(p, packet(H, "203.0.113.9", udp, 3333, 1434)).verdict == "none");
    CHECK(p.rules.size() == 1);
}

TEST_CASE("E5 host firewall: block everything, permit HTTP mirrored; the permit is more specific") {
    StoreBuilder b;
    b.action("BLOCK", ActionKind::Block)
        .action("PASS", ActionKind::Permit)
        .filter("Blocker", {.src = "me", .dst = "any"})
        .filter("Web", {.src = "me", .dst = "any", .protocol = tcp, .sport = 80})
        .rule("Blocker", "Blocker", "BLOCK")
        .rule("Web", "Web", "PASS");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(explain(p, packet("203.0.113.1", H, tcp, 40000, 80)).verdict == "permit");
    CHECK(explain(p, packet(H, "203.0.113.1", tcp, 80, 40000)).verdict == "permit");
    CHECK(explain(p, packet("203.0.113.1", H, tcp, 40000, 81)).verdict == "block");
    CHECK(explain(p, packet(H, "203.0.113.1", icmp)).verdict == "block");
}

TEST_CASE("E7 non-mirrored negotiate secures one direction and is reported") {
    StoreBuilder b;
    b.action("R", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "198.51.100.5", .mirrored = false})
        .rule("R", "L", "R");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(d.count("W-MIRROR-NEGOTIATE") == 1);
    CHECK(explain(p, packet(H, "198.51.100.5", tcp, 1, 2)).verdict == "negotiate");
    CHECK(explain(p, packet("198.51.100.5", H, tcp, 2, 1)).verdict == "none");
}

TEST_CASE("E8 ESP and AH permitted through a block-all") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("IPsecPass", {.src = "any", .dst = "me", .protocol = 50})
        .filter("IPsecPass", {.src = "any", .dst = "me", .protocol = 51})
        .rule("lock", "All", "Block")
        .rule("pass-ipsec", "IPsecPass", "Permit");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(explain(p, packet("203.0.113.2", H, 50)).verdict == "permit");
    CHECK(explain(p, packet(H, "203.0.113.2", 51)).verdict == "permit");
    CHECK(explain(p, packet("203.0.113.2", H, 47)).verdict == "block");
}

TEST_CASE("E9 ICMP exemption inside a secured subnet is an ambiguous overlap decided by --tie-break") {
    StoreBuilder b;
    b.action("Permit", ActionKind::Permit)
        .action("Require", ActionKind::Negotiate)
        .filter("ICMP", {.src = "me", .dst = "any", .protocol = icmp})
        .filter("Corp", {.src = "me", .dst = "198.51.100.0/24"})
        .rule("icmp", "ICMP", "Permit")
        .rule("corp", "Corp", "Require");
    Diagnostics d;
    auto o = options_with_me({H});
    const auto by_address = build(b, o, d);
    CHECK(d.count("W-PLAN-AMBIGUOUS-OVERLAP") >= 1);
    CHECK(explain(by_address, packet(H, "198.51.100.9", icmp)).verdict == "negotiate");
    o.tie_break = plan::TieBreak::Protocol;
    Diagnostics d2;
    const auto by_protocol = build(b, o, d2);
    CHECK(explain(by_protocol, packet(H, "198.51.100.9", icmp)).verdict == "permit");
    // Outside the overlap both orders agree.
    CHECK(explain(by_address, packet(H, "203.0.113.1", icmp)).verdict == "permit");
    CHECK(explain(by_address, packet(H, "198.51.100.9", tcp, 1, 2)).verdict == "negotiate");
}

TEST_CASE("E10 me on a multi-homed host stands for every address") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("SMB", {.src = "me", .dst = "any", .protocol = tcp, .sport = 445})
        .rule("smb", "SMB", "Block");
    Diagnostics d;
    const auto p = build(b, options_with_me({H, "198.51.100.2"}), d);
    CHECK(p.rules.size() == 4);
    CHECK(explain(p, packet("203.0.113.1", H, tcp, 999, 445)).verdict == "block");
    CHECK(explain(p, packet("203.0.113.1", "198.51.100.2", tcp, 999, 445)).verdict == "block");
    CHECK(explain(p, packet("198.51.100.2", "203.0.113.1", tcp, 445, 999)).verdict == "block");
}

TEST_CASE("E11 nested filters order C, B, A") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .action("Block", ActionKind::Block)
        .filter("A", {.src = "me", .dst = "198.51.100.0/24"})
        .filter("B", {.src = "me", .dst = "198.51.100.53"})
        .filter("C", {.src = "me", .dst = "198.51.100.53", .protocol = tcp, .dport = 23})
        .rule("A", "A", "Require")
        .rule("B", "B", "Permit")
        .rule("C", "C", "Block");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(d.count("W-PLAN-AMBIGUOUS-OVERLAP") == 0);
    CHECK(explain(p, packet(H, "198.51.100.53", tcp, 40000, 23)).verdict == "block");
    CHECK(explain(p, packet("198.51.100.53", H, tcp, 23, 40000)).verdict == "block");
    CHECK(explain(p, packet(H, "198.51.100.53", udp, 40000, 53)).verdict == "permit");
    CHECK(explain(p, packet(H, "198.51.100.54", udp, 40000, 53)).verdict == "negotiate");
}

TEST_CASE("E12 a tunnel rule pair is symmetric; a lone tunnel rule is reported") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .filter("A2B", {.src = "198.51.100.0/24", .dst = "203.0.113.0/24", .mirrored = false})
        .filter("B2A", {.src = "203.0.113.0/24", .dst = "198.51.100.0/24", .mirrored = false})
        .rule("out", "A2B", "ReqESP", "192.0.2.2")
        .rule("in", "B2A", "ReqESP", "192.0.2.1");
    Diagnostics d;
    const auto p = build(b, options_with_me({"192.0.2.1"}), d);
    CHECK(d.count("W-LINT-ASYMMETRIC-TUNNEL") == 0);
    CHECK(d.count("W-MIRROR-NEGOTIATE") == 0);
    const auto e = explain(p, packet("198.51.100.4", "203.0.113.4", udp, 1, 2));
    CHECK(e.verdict == "negotiate");
    REQUIRE(e.winner);
    REQUIRE(e.winner->tunnel_endpoint);
    CHECK(e.winner->tunnel_endpoint->to_string() == "192.0.2.2");

    StoreBuilder lone;
    lone.action("ReqESP", ActionKind::Negotiate)
        .filter("A2B", {.src = "198.51.100.0/24", .dst = "203.0.113.0/24", .mirrored = false})
        .rule("out", "A2B", "ReqESP", "192.0.2.2");
    Diagnostics d2;
    build(lone, options_with_me({"192.0.2.1"}), d2);
    CHECK(d2.count("W-LINT-ASYMMETRIC-TUNNEL") == 1);
}

TEST_CASE("E13 a DNS server keyword resolves from --server") {
    StoreBuilder b;
    b.action("Permit", ActionKind::Permit);
    FilterSpec spec{.src = "any", .dst = "any", .protocol = udp, .sport = 53};
    b.filter("Infra", spec).rule("infra", "Infra", "Permit");
    auto& f = b.store.filter_lists.back().filters.back();
    f.source.kind = AddressKind::Server;
    f.source.server = ServerKind::Dns;
    f.destination = FilterAddress::me();
    auto o = options_with_me({H});
    o.servers[ServerKind::Dns] = {*IpAddress::parse("198.51.100.53")};
    Diagnostics d;
    const auto p = build(b, o, d);
    CHECK(explain(p, packet("198.51.100.53", H, udp, 53, 40000)).verdict == "permit");
    CHECK(explain(p, packet(H, "198.51.100.53", udp, 40000, 53)).verdict == "permit");
    CHECK(explain(p, packet("198.51.100.54", H, udp, 53, 40000)).verdict == "none");
}

TEST_CASE("E13 WINS has no Linux source: an error unless given") {
    StoreBuilder b;
    b.action("Permit", ActionKind::Permit).filter("W", {.src = "any", .dst = "me"}).rule("w", "W", "Permit");
    b.store.filter_lists.back().filters.back().source.kind = AddressKind::Server;
    b.store.filter_lists.back().filters.back().source.server = ServerKind::Wins;
    Diagnostics d;
    build(b, options_with_me({H}), d);
    CHECK(d.count("E-PLAN-WINS-SERVER") == 1);
}

TEST_CASE("E15 request security: clear inbound accepted (inpass), outbound falls back (soft)") {
    StoreBuilder b;
    b.action("Request", ActionKind::Negotiate, true, true)
        .filter("L", {.src = "me", .dst = "198.51.100.0/24"})
        .rule("r", "L", "Request");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(explain(p, packet("198.51.100.3", H, tcp, 1, 2)).verdict == "negotiate-inpass");
    CHECK(explain(p, packet(H, "198.51.100.3", tcp, 2, 1)).verdict == "negotiate-soft");
}

TEST_CASE("E17 mirrored with both ports: the mirror swaps the ports with the addresses") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("App", {.src = "me", .dst = "198.51.100.9", .protocol = udp, .sport = 5000, .dport = 6000})
        .rule("app", "App", "Block");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(explain(p, packet(H, "198.51.100.9", udp, 5000, 6000)).verdict == "block");
    CHECK(explain(p, packet("198.51.100.9", H, udp, 6000, 5000)).verdict == "block");
    CHECK(explain(p, packet("198.51.100.9", H, udp, 5000, 6000)).verdict == "none");
}

TEST_CASE("NoDefaultExempt 0 lets Kerberos source port 88 through a block; 3 does not (KB 813878)") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block).filter("All", {.src = "any", .dst = "me"}).rule("all", "All", "Block");
    auto o = options_with_me({H});
    o.no_default_exempt = 0;
    Diagnostics d;
    const auto open = build(b, o, d);
    CHECK(explain(open, packet("203.0.113.66", H, tcp, 88, 445)).verdict == "exempt");
    CHECK(explain(open, packet("203.0.113.66", H, 46)).verdict == "exempt");
    CHECK(explain(open, packet("203.0.113.66", "224.0.0.5", udp, 1, 2)).verdict == "exempt");
    o.no_default_exempt = 3;
    const auto strict = build(b, o, d);
    CHECK(explain(strict, packet("203.0.113.66", H, tcp, 88, 445)).verdict == "block");
    o.no_default_exempt.reset();
    o.windows_version = plan::WindowsVersion::Windows2000;
    const auto w2k = build(b, o, d);
    CHECK(w2k.no_default_exempt == 0);
}

TEST_CASE("identical filters: block beats permit beats negotiate, and the loser is reported") {
    StoreBuilder b;
    b.action("N", ActionKind::Negotiate)
        .action("P", ActionKind::Permit)
        .action("B", ActionKind::Block)
        .filter("L1", {.src = "me", .dst = "198.51.100.1"})
        .filter("L2", {.src = "me", .dst = "198.51.100.1"})
        .filter("L3", {.src = "me", .dst = "198.51.100.1"})
        .rule("n", "L1", "N")
        .rule("p", "L2", "P")
        .rule("b", "L3", "B");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(explain(p, packet(H, "198.51.100.1", tcp, 1, 2)).verdict == "block");
    CHECK(d.count("W-PLAN-SHADOWED-FILTER") == 4);  // two losers, both directions
}

TEST_CASE("IPv6 filters plan and match") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("v6", {.src = "2001:db8:1::/48", .dst = "2001:db8::10", .protocol = tcp, .dport = 22})
        .rule("v6", "v6", "Block");
    Diagnostics d;
    const auto p = build(b, options_with_me({H, "2001:db8::10"}), d);
    CHECK(explain(p, packet("2001:db8:1::7", "2001:db8::10", tcp, 4000, 22)).verdict == "block");
    CHECK(explain(p, packet("2001:db8:2::7", "2001:db8::10", tcp, 4000, 22)).verdict == "none");
}

TEST_CASE("a mirrored permit of client DNS opens every local port to source port 53 inside a block-all") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "me", .dst = "any"})
        .filter("DNS", {.src = "me", .dst = "any", .protocol = udp, .dport = 53})
        .rule("all", "All", "Block")
        .rule("dns", "DNS", "Permit");
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(d.count("W-LINT-SOURCE-PORT-HOLE") == 1);
    CHECK(explain(p, packet("203.0.113.99", H, udp, 53, 3389)).verdict == "permit");
}

TEST_CASE("a one-way permit inside a block-all is reported: its replies are blocked") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "me", .dst = "any"})
        .filter("Web", {.src = "any", .dst = "me", .protocol = tcp, .dport = 80, .mirrored = false})
        .rule("all", "All", "Block")
        .rule("web", "Web", "Permit");
    Diagnostics d;
    build(b, options_with_me({H}), d);
    CHECK(d.count("W-LINT-ONE-WAY-PERMIT") == 1);
}

TEST_CASE("E14 respond only: only the default response rule, nothing to enforce, reported") {
    StoreBuilder b;
    Rule dr;
    dr.name = "<default response>";
    dr.default_response = true;
    dr.active = true;
    b.store.policies.front().rules.push_back(dr);
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    CHECK(p.rules.empty());
    CHECK(d.count("W-PLAN-DEFAULT-RESPONSE") == 1);
    CHECK(explain(p, packet("198.51.100.1", H, tcp, 1, 2)).verdict == "none");
}

TEST_CASE("E16 a dial-up-only rule is kept with its connection type and reported") {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate).filter("All", {.src = "me", .dst = "any"}).rule("RAS", "All", "ReqESP");
    b.store.policies.front().rules.back().connection_type = ConnectionType::Dialup;
    Diagnostics d;
    const auto p = build(b, options_with_me({H}), d);
    REQUIRE_FALSE(p.rules.empty());
    CHECK(p.rules.front().connection_type == ConnectionType::Dialup);
    CHECK(d.count("W-PLAN-CONNECTION-TYPE") == 1);
}

TEST_CASE("port filters report how fragments are handled; ignoring them is a warning") {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("L", {.src = "any", .dst = "me", .protocol = udp, .dport = 1434, .mirrored = false})
        .rule("r", "L", "Block");
    Diagnostics d;
    auto o = options_with_me({H});
    const auto p = build(b, o, d);
    CHECK(p.depends_on_ports);
    CHECK(d.count("N-PLAN-FRAGMENTS") == 1);
    o.fragments = plan::FragmentRule::Ignore;
    Diagnostics d2;
    build(b, o, d2);
    CHECK(d2.count("W-PLAN-FRAGMENTS") == 1);
}
