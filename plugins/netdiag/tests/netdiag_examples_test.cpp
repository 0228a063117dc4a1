// The worked examples of spec §12 that read listings: E20 (netdiag, §7.1)
// and E21 (show policy level=verbose, §7.2), each input verbatim from the spec.
#include <doctest/doctest.h>

#include "plugins/netdiag/tests/listing_test_support.hpp"

using namespace winipsec;
using namespace winipsec::listing::test;

namespace {

// spec §7.1, the KB 813878 example.
constexpr std::string_view kb813878 =
    "IP Security test . . . . . . . . . : Passed\n"
    "Local IPSec Policy Active: 'Block UDP 1434 Filter'\n"
    "IP Security Policy Path: "
    "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\ipsecPolicy{D239C599-F945-47A3-A4E3-B37BC12826B9}\n"
    "\n"
    "There are 2 filters\n"
    "No Name\n"
    "Filter Id: {5EC1FD53-EA98-4C1B-A99F-6D2A0FF94592}\n"
    "Policy Id: {509492EA-1214-4F50-BF43-9CAC2B538518}\n"
    "Src Addr : 0.0.0.0 Src Mask : 0.0.0.0\n"
    "Dest Addr : 192.168.1.1 Dest Mask : 255.255.255.255\n"
    "Tunnel Addr : 0.0.0.0 Src Port : 0 Dest Port : 1434\n"
    "Protocol : 17 TunnelFilter: No\n"
    "Flags : Inbound Block\n"
    "No Name\n"
    "Filter Id: {9B4144A6-774F-4AE5-B23A-51331E67BAB2}\n"
    "Policy Id: {2DEB01BD-9830-4067-B58A-AADFC8659BE5}\n"
    "Src Addr : 192.168.1.1 Src Mask : 255.255.255.255\n"
    "Dest Addr : 0.0.0.0 Dest Mask : 0.0.0.0\n"
    "Tunnel Addr : 0.0.0.0 Src Port : 0 Dest Port : 1434\n"
    "Protocol : 17 TunnelFilter: No\n"
    "Flags : Outbound Block\n";

// spec §7.2, the reconstructed `show policy ... level=verbose` sample.
constexpr std::string_view secure_rdp =
    "Policy Name             : Secure RDP\n"
    "Description             : NONE\n"
    "Store                   : Local Store <HOST1>\n"
    "Last Modified           : 3/14/2006 10:12:01 AM\n"
    "GUID                    : {0C5C7A1B-\xE2\x80\xA6}\n"
    "Activated               : YES\n"
    "Master PFS              : NO\n"
    "Polling Interval        : 180 minutes\n"
    "Main Mode Life Time     : 480 minutes / 0 Quick Mode sessions\n"
    "Main Mode Security Methods\n"
    "Encryption  Integrity  DH Group\n"
    "--------------------------------\n"
    "3DES        SHA1       Medium(2)\n"
    "3DES        MD5        Medium(2)\n"
    "No. of Rules            : 2\n"
    "\n"
    "Rule Details\n"
    "------------\n"
    "Rule ID                 : 1, GUID = {\xE2\x80\xA6}\n"
    "Activated               : YES\n"
    "Connection Type         : ALL\n"
    "Tunnel Rule             : NO\n"
    "Authentication Methods(1)\n"
    "--------------------------\n"
    "Preshared key           : ********\n"
    "FilterList Name         : RDP\n"
    "  Mirrored              : YES\n"
    "  Source IP Address     : 0.0.0.0          Source DNS Name      : <My IP Address>\n"
    "  Source Mask           : 255.255.255.255\n"
    "  Destination IP Address: 10.1.0.0         Destination DNS Name : <A Specific IP Subnet>\n"
    "  Destination Mask      : 255.255.0.0\n"
    "  Protocol              : TCP   Source Port : 3389   Destination Port : ANY\n"
    "FilterAction Name       : Require ESP\n"
    "  Action                : NEGOTIATE SECURITY\n"
    "  Inbound Passthru      : NO\n"
    "  AllowUnsecured(Fallback): NO\n"
    "  QMPFS                 : NO\n"
    "  Security Methods\n"
    "  Lifetime (Kb/secs)    ESP Algorithms\n"
    "  100000/3600           ESP[3DES,SHA1]\n";

}  // namespace

TEST_CASE("E20: the KB 813878 netdiag listing is two one-way block filters on the host's address") {
    const auto r = import_listing(kb813878);
    CHECK(r.codes() == "N-NETDIAG-ME:1");
    CHECK(r.first("N-NETDIAG-ME").message.find("--me 192.168.1.1") != std::string::npos);
    const Policy& p = r.only_policy();
    CHECK(p.name == "Block UDP 1434 Filter");
    CHECK(p.assigned);
    CHECK(p.location == StoreLocation::Local);
    const auto rules = r.rules();
    REQUIRE(rules.size() == 2);  // one per negotiation policy (Policy Id)
    // any:* -> H:1434/UDP, inbound, block; transport (Tunnel Addr 0.0.0.0, TunnelFilter: No)
    const auto& in = r.list_of(*rules[0]).filters;
    REQUIRE(in.size() == 1);
    CHECK(in[0].source.kind == AddressKind::Any);
    CHECK(in[0].destination.kind == AddressKind::Me);
    CHECK(in[0].source_port == 0);
    CHECK(in[0].destination_port == 1434);
    CHECK(in[0].protocol == protocol::udp);
    CHECK_FALSE(in[0].mirrored);
    CHECK(r.action_of(*rules[0]).action == ActionKind::Block);
    CHECK(r.action_of(*rules[0]).guid == "{509492EA-1214-4F50-BF43-9CAC2B538518}");
    CHECK_FALSE(rules[0]->tunnel_endpoint);
    // H:* -> any:1434/UDP, outbound, block
    const auto& out = r.list_of(*rules[1]).filters;
    REQUIRE(out.size() == 1);
    CHECK(out[0].source.kind == AddressKind::Me);
    CHECK(out[0].destination.kind == AddressKind::Any);
    CHECK(out[0].destination_port == 1434);
    CHECK_FALSE(out[0].mirrored);
    CHECK(r.action_of(*rules[1]).action == ActionKind::Block);
}

TEST_CASE("E21: the reconstructed show policy listing of 'Secure RDP'") {
    const auto r = import_listing(secure_rdp);
    // Reconstructed layout, hidden key, and the sample shows 1 of its 2 rules.
    CHECK(r.codes() == "W-SHOWALL-COUNT:1 W-SHOWALL-PSK-HIDDEN:1 W-SHOWALL-RECONSTRUCTED:1");
    const Policy& p = r.only_policy();
    CHECK(p.name == "Secure RDP");
    CHECK(p.assigned);
    CHECK(p.description.empty());
    CHECK(p.main_mode.offers == std::vector<MainModeOffer>{{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024},
                                                           {Cipher::TripleDes, Integrity::Md5, DhGroup::Modp1024}});
    CHECK(p.main_mode.lifetime_seconds == 480 * 60);
    CHECK(p.main_mode.quick_modes_per_main_mode == 0);
    CHECK_FALSE(p.main_mode.master_pfs);
    CHECK(p.polling_interval_minutes == 180);
    const auto rules = r.rules();
    REQUIRE(rules.size() == 1);
    const Rule& rule = *rules[0];
    CHECK(rule.active);
    CHECK(rule.connection_type == ConnectionType::All);
    CHECK_FALSE(rule.tunnel_endpoint);
    REQUIRE(rule.authentication.size() == 1);
    CHECK(rule.authentication[0].kind == AuthKind::PresharedKey);
    const FilterList& list = r.list_of(rule);
    CHECK(list.name == "RDP");
    REQUIRE(list.filters.size() == 1);
    const Filter& f = list.filters[0];
    CHECK(f.mirrored);
    CHECK(f.source.kind == AddressKind::Me);  // "<My IP Address>" = 0.0.0.0/255.255.255.255
    CHECK(f.destination.to_string() == "10.1.0.0/16");
    CHECK(f.protocol == protocol::tcp);
    CHECK(f.source_port == 3389);
    CHECK(f.destination_port == 0);
    const FilterAction& a = r.action_of(rule);
    CHECK(a.name == "Require ESP");
    CHECK(a.action == ActionKind::Negotiate);
    CHECK_FALSE(a.inbound_passthrough);
    CHECK_FALSE(a.fallback_to_clear);
    CHECK_FALSE(a.quick_mode_pfs);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK_FALSE(a.offers[0].ah);
    CHECK(a.offers[0].lifetime_kbytes == 100000);
    CHECK(a.offers[0].lifetime_seconds == 3600);
}

TEST_CASE("both spec samples are recognised as listings") {
    CHECK(recognise(kb813878) >= 90);
    CHECK(recognise(secure_rdp) >= 80);
}
