// The worked examples of spec §12 that are written in netsh: each script and
// the model it must give.
#include <doctest/doctest.h>

#include "plugins/netsh/tests/netsh_test_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh::test;

TEST_CASE("E1: mirrored filter with a port, negotiate ESP, PSK") {
    const auto r = import_text(
        nis({"add policy name=\"Web\" ", "add filterlist name=\"HTTP-LAN\"",
             "add filter filterlist=\"HTTP-LAN\" srcaddr=me dstaddr=10.1.0.0 dstmask=255.255.0.0 "
             "protocol=TCP srcport=80 dstport=0 mirrored=yes",
             "add filteraction name=\"ReqESP\" action=negotiate qmsecmethods=\"ESP[3DES,SHA1]:100000k/3600s\"",
             "add rule name=\"SecHTTP\" policy=\"Web\" filterlist=\"HTTP-LAN\" filteraction=\"ReqESP\" psk=\"s3cret\"",
             "set policy name=\"Web\" assign=yes"}));
    CHECK(r.codes() == "");
    const Policy* p = r.store.assigned_policy();
    REQUIRE(p);
    CHECK(p->name == "Web");
    CHECK(p->main_mode.offers == default_main_mode_offers());
    CHECK(p->main_mode.lifetime_seconds == 28800);
    const auto& fs = r.list("HTTP-LAN").filters;
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].source.kind == AddressKind::Me);
    CHECK(fs[0].destination.to_string() == "10.1.0.0/16");
    CHECK(fs[0].protocol == protocol::tcp);
    CHECK(fs[0].source_port == 80);
    CHECK(fs[0].destination_port == 0);
    CHECK(fs[0].mirrored);
    const FilterAction& a = r.action("ReqESP");
    CHECK(a.action == ActionKind::Negotiate);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK_FALSE(a.offers[0].ah);
    CHECK(a.offers[0].lifetime_kbytes == 100000);
    CHECK(a.offers[0].lifetime_seconds == 3600);
    CHECK_FALSE(a.offers_defaulted);
    const Rule& rule = p->rules.at(1);
    CHECK(rule.name == "SecHTTP");
    CHECK(rule.filter_list == "HTTP-LAN");
    CHECK(rule.filter_action == "ReqESP");
    CHECK_FALSE(rule.tunnel_endpoint);
    REQUIRE(rule.authentication.size() == 1);
    CHECK(rule.authentication[0].kind == AuthKind::PresharedKey);
    CHECK(rule.authentication[0].preshared_key.reveal() == "s3cret");
}

namespace {
const std::string e2 =
    nis({"add policy name=\"Lockdown\"", "add filter filterlist=\"All\" srcaddr=any dstaddr=me",
         "add filter filterlist=\"RDP\" srcaddr=any dstaddr=me protocol=TCP dstport=3389",
         "add filteraction name=\"Block\" action=block", "add filteraction name=\"Permit\" action=permit",
         "add rule name=\"r1\" policy=\"Lockdown\" filterlist=\"All\" filteraction=\"Block\"",
         "add rule name=\"r2\" policy=\"Lockdown\" filterlist=\"RDP\" filteraction=\"Permit\"",
         "set policy name=\"Lockdown\" assign=yes"});
}  // namespace

TEST_CASE("E2: block everything except RDP; lists created by add filter, mirrored by default") {
    const auto r = import_text(e2);
    CHECK(r.codes() == "");
    REQUIRE(r.store.assigned_policy());
    CHECK(r.store.assigned_policy()->name == "Lockdown");
    const Filter& all = r.list("All").filters.at(0);
    CHECK(all.source.kind == AddressKind::Any);
    CHECK(all.destination.kind == AddressKind::Me);
    CHECK(all.protocol == protocol::any);
    CHECK(all.mirrored);
    const Filter& rdp = r.list("RDP").filters.at(0);
    CHECK(rdp.protocol == protocol::tcp);
    CHECK(rdp.destination_port == 3389);
    CHECK(rdp.source_port == 0);
    CHECK(rdp.mirrored);
    CHECK(r.action("Block").action == ActionKind::Block);
    CHECK(r.action("Permit").action == ActionKind::Permit);
    const auto& rules = r.policy("Lockdown").rules;
    REQUIRE(rules.size() == 3);
    CHECK(rules[1].filter_action == "Block");
    CHECK(rules[2].filter_action == "Permit");
}

TEST_CASE("E8: permitting ESP and AH by protocol number") {
    const auto r = import_text(e2 + nis({"add filter filterlist=\"IPsecPass\" srcaddr=any dstaddr=me protocol=50",
                                         "add filter filterlist=\"IPsecPass\" srcaddr=any dstaddr=me protocol=51",
                                         "add rule name=\"pass-ipsec\" policy=\"Lockdown\" filterlist=\"IPsecPass\" "
                                         "filteraction=\"Permit\""}));
    CHECK(r.codes() == "");
    const auto& fs = r.list("IPsecPass").filters;
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].protocol == 50);
    CHECK(fs[1].protocol == 51);
    CHECK(fs[0].mirrored);
    CHECK(fs[0].destination_port == 0);
    CHECK(r.policy("Lockdown").rules.back().filter_action == "Permit");
}

TEST_CASE("E12: site-to-site tunnel, two non-mirrored rules") {
    const auto r = import_text(nis(
        {"add policy name=S2S", "add filteraction name=ReqESP qmsec=\"ESP[3DES,SHA1]\"",
         "add filter filterlist=\"A2B\" srcaddr=10.1.0.0 srcmask=16 dstaddr=10.2.0.0 dstmask=16 mirrored=no",
         "add filter filterlist=\"B2A\" srcaddr=10.2.0.0 srcmask=16 dstaddr=10.1.0.0 dstmask=16 mirrored=no",
         "add rule name=\"out\" policy=\"S2S\" filterlist=\"A2B\" filteraction=\"ReqESP\" tunnel=203.0.113.2 psk=\"t\"",
         "add rule name=\"in\"  policy=\"S2S\" filterlist=\"B2A\" filteraction=\"ReqESP\" tunnel=198.51.100.1 "
         "psk=\"t\""}));
    CHECK(r.codes() == "");
    const Filter& a2b = r.list("A2B").filters.at(0);
    CHECK(a2b.source.to_string() == "10.1.0.0/16");
    CHECK(a2b.destination.to_string() == "10.2.0.0/16");
    CHECK_FALSE(a2b.mirrored);
    const auto& rules = r.policy("S2S").rules;
    REQUIRE(rules.size() == 3);
    REQUIRE(rules[1].tunnel_endpoint);
    CHECK(rules[1].tunnel_endpoint->to_string() == "203.0.113.2");
    CHECK(rules[2].tunnel_endpoint->to_string() == "198.51.100.1");
    CHECK(rules[2].authentication.at(0).preshared_key.reveal() == "t");
}

TEST_CASE("E13: a server keyword on one side") {
    const auto r =
        import_text(nis({"add filter filterlist=\"Infra\" srcaddr=DNS dstaddr=any protocol=UDP srcport=53"}));
    CHECK(r.codes() == "W-NETSH-SERVER-FORCES-ME:1");
    const Filter& f = r.list("Infra").filters.at(0);
    CHECK(f.source.kind == AddressKind::Server);
    CHECK(f.source.server == ServerKind::Dns);
    CHECK(f.destination.kind == AddressKind::Me);
    CHECK(f.source_port == 53);
    CHECK(f.mirrored);
}

TEST_CASE("E17: mirrored with both ports set") {
    const auto r = import_text(
        nis({"add filter filterlist=\"App\" srcaddr=me dstaddr=10.0.0.9 protocol=UDP srcport=5000 dstport=6000"}));
    CHECK(r.codes() == "");
    const Filter& f = r.list("App").filters.at(0);
    CHECK(f.source.kind == AddressKind::Me);
    CHECK(f.destination.to_string() == "10.0.0.9");
    CHECK(f.destination.prefix_length == 32);
    CHECK(f.protocol == protocol::udp);
    CHECK(f.source_port == 5000);
    CHECK(f.destination_port == 6000);
    CHECK(f.mirrored);
}

TEST_CASE("E18: invalid combinations are rejected or warned about") {
    const auto r = import_text(nis({"add filter filterlist=\"X\" srcaddr=me dstaddr=any protocol=ICMP dstport=8",
                                    "add filter filterlist=\"X\" srcaddr=10.1.2.3 srcmask=255.255.0.0 dstaddr=me",
                                    "add filteraction name=\"Y\" action=negotiate qmsecmethods=\"ESP[None,None]\""}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1 E-NETSH-PORT-PROTOCOL:1 W-FILTER-HOST-BITS:1");
    CHECK(r.first("E-NETSH-PORT-PROTOCOL").where.line == 1);
    CHECK(r.first("W-FILTER-HOST-BITS").where.line == 2);
    CHECK(r.first("E-NETSH-BAD-VALUE").where.line == 3);
    REQUIRE(r.list("X").filters.size() == 1);
    CHECK(r.list("X").filters[0].source.to_string() == "10.1.0.0/16");
    CHECK_FALSE(r.store.find_filter_action("Y"));
}
