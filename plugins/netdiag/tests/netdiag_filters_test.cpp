// netdiag /test:ipsec /debug listings (spec §7.1): reading the filter blocks
// and turning them into directional model filters.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "plugins/netdiag/tests/listing_test_support.hpp"

using namespace winipsec;
using namespace winipsec::listing::test;

namespace {

struct Block {
    const char* src = "0.0.0.0";
    const char* smask = "0.0.0.0";
    const char* dst = "0.0.0.0";
    const char* dmask = "0.0.0.0";
    int sport = 0, dport = 0, protocol = 0;
    const char* flags = "Inbound Block";
    const char* policy_id = "{11111111-1111-1111-1111-111111111111}";
    const char* tunnel = "0.0.0.0";
    const char* tunnel_filter = "No";
};

std::string block(const Block& b) {
    return fmt::format(
        "No Name\nFilter Id: {{00000000-0000-0000-0000-000000000000}}\nPolicy Id: {}\n"
        "Src Addr : {} Src Mask : {}\nDest Addr : {} Dest Mask : {}\n"
        "Tunnel Addr : {} Src Port : {} Dest Port : {}\nProtocol : {} TunnelFilter: {}\nFlags : {}\n",
        b.policy_id, b.src, b.smask, b.dst, b.dmask, b.tunnel, b.sport, b.dport, b.protocol, b.tunnel_filter, b.flags);
}

std::string netdiag_text(std::initializer_list<Block> blocks) {
    std::string s =
        "IP Security test . . . . . . . . . : Passed\nLocal IPSec Policy Active: 'P'\n"
        "IP Security Policy Path: SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\"
        "ipsecPolicy{D239C599-F945-47A3-A4E3-B37BC12826B9}\n\n";
    s += fmt::format("There are {} filters\n", blocks.size());
    for (const auto& b : blocks) s += block(b);
    return s;
}

}  // namespace

TEST_CASE("the host's address on the host side of a directional filter is read back as `me`") {
    const auto r = import_listing(netdiag_text({{.src = "10.0.0.0",
                                                 .smask = "255.0.0.0",
                                                 .dst = "192.0.2.7",
                                                 .dmask = "255.255.255.255",
                                                 .dport = 22,
                                                 .protocol = 6,
                                                 .flags = "Inbound Permit"},
                                                {.src = "192.0.2.7",
                                                 .smask = "255.255.255.255",
                                                 .dst = "10.0.0.0",
                                                 .dmask = "255.0.0.0",
                                                 .sport = 22,
                                                 .protocol = 6,
                                                 .flags = "Outbound Permit"}}));
    CHECK(r.codes() == "N-NETDIAG-ME:1");
    CHECK(r.first("N-NETDIAG-ME").message.find("--me 192.0.2.7") != std::string::npos);
    const Policy& p = r.only_policy();
    CHECK(p.name == "P");
    CHECK(p.assigned);
    CHECK(p.guid == "{D239C599-F945-47A3-A4E3-B37BC12826B9}");
    REQUIRE(r.rules().size() == 1);
    const auto& fs = r.list_of(*r.rules()[0]).filters;
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].source.to_string() == "10.0.0.0/8");
    CHECK(fs[0].destination.to_string() == "me");
    CHECK(fs[0].destination_port == 22);
    CHECK_FALSE(fs[0].mirrored);
    CHECK(fs[1].source.to_string() == "me");
    CHECK(fs[1].destination.to_string() == "10.0.0.0/8");
    CHECK(fs[1].source_port == 22);
    CHECK_FALSE(fs[1].mirrored);
    CHECK(r.action_of(*r.rules()[0]).action == ActionKind::Permit);
    CHECK(fs[0].where.to_string() == "listing.txt:6:1");
}

TEST_CASE("two filters that differ only in direction are one filter matching both ways, imported once") {
    const auto r =
        import_listing(netdiag_text({{.dst = "10.1.2.0", .dmask = "255.255.255.0", .flags = "Outbound Block"},
                                     {.dst = "10.1.2.0", .dmask = "255.255.255.0", .flags = "Inbound Block"}}));
    CHECK(r.codes() == "");
    const auto& fs = r.list_of(*r.rules()[0]).filters;
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].source.to_string() == "any");
    CHECK(fs[0].destination.to_string() == "10.1.2.0/24");
    CHECK_FALSE(fs[0].mirrored);
}

TEST_CASE("a direction that no `me` can carry is reported, not dropped") {
    const auto r =
        import_listing(netdiag_text({{.dst = "10.1.2.0", .dmask = "255.255.255.0", .flags = "Inbound Block"}}));
    CHECK(r.codes() == "W-NETDIAG-ONE-DIRECTION:1");
    CHECK(r.first("W-NETDIAG-ONE-DIRECTION").where.line == 6);
    CHECK(r.list_of(*r.rules()[0]).filters.size() == 1);
}

TEST_CASE("a multi-homed host prints a filter per address; they become one `me` filter") {
    const auto r =
        import_listing(netdiag_text({{.dst = "192.0.2.7", .dmask = "255.255.255.255", .dport = 445, .protocol = 6},
                                     {.dst = "10.8.0.2", .dmask = "255.255.255.255", .dport = 445, .protocol = 6}}));
    CHECK(r.codes() == "N-NETDIAG-DUPLICATE:1 N-NETDIAG-ME:1");
    CHECK(r.first("N-NETDIAG-ME").message.find("192.0.2.7, 10.8.0.2") != std::string::npos);
    CHECK(r.list_of(*r.rules()[0]).filters.size() == 1);
}

TEST_CASE("filters group into one rule per negotiation policy, action and tunnel") {
    const auto r = import_listing(
        netdiag_text({{.dst = "192.0.2.7",
                       .dmask = "255.255.255.255",
                       .dport = 80,
                       .protocol = 6,
                       .flags = "Inbound Permit",
                       .policy_id = "{A}"},
                      {.dst = "192.0.2.7", .dmask = "255.255.255.255", .flags = "Inbound Block", .policy_id = "{B}"},
                      {.dst = "192.0.2.7",
                       .dmask = "255.255.255.255",
                       .dport = 443,
                       .protocol = 6,
                       .flags = "Inbound Permit",
                       .policy_id = "{A}"}}));
    const auto rules = r.rules();
    REQUIRE(rules.size() == 2);
    CHECK(rules[0]->name == "netdiag {A}");
    CHECK(rules[0]->guid == "{A}");
    CHECK(r.list_of(*rules[0]).filters.size() == 2);
    CHECK(r.action_of(*rules[0]).guid == "{A}");
    CHECK(r.action_of(*rules[1]).action == ActionKind::Block);
}

TEST_CASE("negotiate: flags and the default offers, which the listing does not show") {
    const auto r = import_listing(netdiag_text({{.src = "192.0.2.7",
                                                 .smask = "255.255.255.255",
                                                 .flags = "Outbound Negotiate InboundPassthru AllowUnsecured"}}));
    CHECK(r.codes() == "N-NETDIAG-ME:1 W-NETDIAG-OFFERS-UNKNOWN:1");
    const FilterAction& a = r.action_of(*r.rules()[0]);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK(a.inbound_passthrough);
    CHECK(a.fallback_to_clear);
    CHECK(a.offers == default_quick_mode_offers());
    CHECK(a.offers_defaulted);
    CHECK(r.rules()[0]->authentication_defaulted);
}

TEST_CASE("a tunnel filter gives its rule the tunnel endpoint") {
    const auto r = import_listing(netdiag_text({{.src = "10.1.0.0",
                                                 .smask = "255.255.0.0",
                                                 .dst = "10.2.0.0",
                                                 .dmask = "255.255.0.0",
                                                 .flags = "Outbound Negotiate",
                                                 .tunnel = "198.51.100.2",
                                                 .tunnel_filter = "Yes"}}));
    const Rule& rule = *r.rules()[0];
    REQUIRE(rule.tunnel_endpoint);
    CHECK(rule.tunnel_endpoint->to_string() == "198.51.100.2");
    CHECK(r.codes() == "W-NETDIAG-OFFERS-UNKNOWN:1 W-NETDIAG-ONE-DIRECTION:1");
}

TEST_CASE("bad values and missing fields drop the filter with a located error") {
    const auto r = import_listing(
        netdiag_text({{.src = "10.0.0.300", .flags = "Inbound Block"},
                      {.smask = "255.0.255.0", .flags = "Inbound Block"},
                      {.dport = 70000, .flags = "Inbound Block"},
                      {.flags = "Sideways Block"},
                      {.dst = "192.0.2.7", .dmask = "255.255.255.255", .flags = "Inbound Permit Frobnicate"}}) +
        "Filter Id: {X}\nSrc Addr : 0.0.0.0 Src Mask : 0.0.0.0\n");
    CHECK(r.codes() ==
          "E-LISTING-BAD-VALUE:4 E-LISTING-MISSING-FIELD:1 N-NETDIAG-ME:1 W-NETDIAG-FILTER-COUNT:1 "
          "W-NETDIAG-UNKNOWN-FLAG:2");
    CHECK(r.first("E-LISTING-BAD-VALUE").where.to_string() == "listing.txt:9:12");
    CHECK(r.list_of(*r.rules()[0]).filters.size() == 1);
}

TEST_CASE("lines the layout does not explain are warnings with their place") {
    const auto r =
        import_listing("Computer Name: HOST1\n" + netdiag_text({{.dst = "192.0.2.7", .dmask = "255.255.255.255"}}) +
                       "Some trailing remark\n");
    CHECK(r.codes() == "N-NETDIAG-ME:1 W-LISTING-UNKNOWN-LINE:2");
    CHECK(r.first("W-LISTING-UNKNOWN-LINE").where.to_string() == "listing.txt:1:1");
}

TEST_CASE("no policy assigned: nothing to import, said as a note") {
    const auto r = import_listing(
        "IP Security test . . . . . . . . . : Passed\n    IPSec policy service is active, but no policy is "
        "assigned.\n");
    CHECK(r.codes() == "N-NETDIAG-NO-POLICY:1");
    CHECK(r.store.policies.empty());
}

TEST_CASE("a directory (domain) policy keeps its store") {
    std::string text = netdiag_text({{.dst = "192.0.2.7", .dmask = "255.255.255.255"}});
    text.replace(text.find("Local IPSec"), 5, "Directory");
    const auto r = import_listing(text);
    CHECK(r.only_policy().location == StoreLocation::Domain);
}

TEST_CASE("winipsec's own listing (translate --target listing) reads back, Source lines included") {
    const auto r = import_listing(
        "IP Security test . . . . . . . . . : Passed\n"
        "Local IPSec Policy Active: 'Block UDP 1434 Filter'\n"
        "IP Security Policy Path: policies/examples/kb813878-block-udp-1434.ipseccmd.bat:5:1\n\n"
        "There are 1 filters\nNo Name\nFilter Id: {B507EB08-FB0B-E583-F458-AE9DBC92E233}\n"
        "Policy Id: {8C0CA43B-7D6D-5F1C-7AA9-8373BE3DFB8C}\nSrc Addr : 0.0.0.0 Src Mask : 0.0.0.0\n"
        "Dest Addr : 192.0.2.10 Dest Mask : 255.255.255.255\nTunnel Addr : 0.0.0.0 Src Port : 0 Dest Port : 1434\n"
        "Protocol : 17 TunnelFilter: No\nFlags : Inbound Block\n"
        "Source : policies/examples/kb813878-block-udp-1434.ipseccmd.bat:5:84 rule 'Block Inbound UDP 1434 Rule' "
        "filter list 'x' filter action 'y'\n");
    CHECK(r.codes() == "N-NETDIAG-ME:1");
    CHECK(r.list_of(*r.rules()[0]).filters.size() == 1);
}

TEST_CASE("recognise: netdiag listings score high, scripts not at all") {
    CHECK(recognise(netdiag_text({{}})) >= 90);
    CHECK(recognise("netsh ipsec static add policy name=x\n") == 0);
    CHECK(recognise("Rule Name: test\nEndpoint1: Any\nProtocol: Any\nAction: RequireInRequireOut\n") == 0);
}

TEST_CASE("consec show rule output is pointed at --format consec") {
    const auto r = import_listing(
        "Rule Name:test\nEnabled:Yes\nEndpoint1:Any\nEndpoint2:Any\nProtocol:Any\nAction:RequestInRequestOut\n");
    CHECK(r.codes() == "E-LISTING-CONSEC:1");
}
