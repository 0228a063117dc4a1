// Byte-exact decoding of the test vectors of spec windows-ipsec.md §3.7 and
// the store they make (§12 E19).
#include <doctest/doctest.h>

#include "plugins/registry/blob_filter.hpp"
#include "plugins/registry/blob_isakmp.hpp"
#include "plugins/registry/blob_negotiation.hpp"
#include "plugins/registry/blob_nfa.hpp"
#include "plugins/registry/blob_policy.hpp"
#include "plugins/registry/registry_text.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

TEST_CASE("§3.7 policy vector: polling every 10 800 s") {
    const auto blob = decode_policy_blob(vector::policy());
    REQUIRE(blob);
    CHECK(blob->polling_interval_seconds == 10800);
    CHECK(blob->findings.empty());
}

TEST_CASE("§3.7 filter list vector: one mirrored filter any -> 203.0.113.10/32, UDP source port 1701") {
    const auto blob = decode_filter_blob(vector::filter_list());
    REQUIRE(blob);
    CHECK(blob->findings.empty());
    REQUIRE(blob->filters.size() == 1);
    const FilterRecord& f = blob->filters[0];
    CHECK(f.source_dns.empty());
    CHECK(f.destination_dns.empty());
    CHECK(f.description.empty());
    CHECK(f.id.to_string() == "{2AA93C48-1CE1-463F-AAA1-60D818AB6878}");
    CHECK(f.mirrored == 1);
    CHECK(f.source == Ipv4Bytes{0, 0, 0, 0});
    CHECK(f.source_mask == Ipv4Bytes{0, 0, 0, 0});
    CHECK(f.destination == Ipv4Bytes{203, 0, 113, 10});
    CHECK(f.destination_mask == Ipv4Bytes{255, 255, 255, 255});
    CHECK(f.tunnel == Ipv4Bytes{0, 0, 0, 0});
    CHECK(f.protocol == 17);
    CHECK(f.source_port == 1701);
    CHECK(f.destination_port == 0);
    CHECK(f.is_tunnel == 0);
    CHECK(f.special == 0);
    CHECK(f.options == 0);
    CHECK_FALSE(blob->has_v2);
}

TEST_CASE("§3.7 filter action vector: one offer ESP[3DES,MD5], 300 s, no KB limit, no PFS; garbage slots unread") {
    const auto blob = decode_negotiation_blob(vector::filter_action());
    REQUIRE(blob);
    CHECK(blob->findings.empty());
    REQUIRE(blob->offers.size() == 1);
    const OfferRecord& o = blob->offers[0];
    CHECK(o.lifetime_seconds == 300);
    CHECK(o.lifetime_kbytes == 0);
    CHECK(o.flags == 0);
    CHECK(o.pfs == 0);
    REQUIRE(o.algorithms.size() == 1);
    CHECK(o.algorithms[0].id == 3);            // 3DES (real data: DES = 1, 3DES = 3)
    CHECK(o.algorithms[0].secondary_id == 1);  // MD5
    CHECK(o.algorithms[0].operation == 2);     // ESP
    CHECK(o.offset == 24);
}

TEST_CASE("§3.7 rule vector: PSK 'secret', all interfaces, transport, active") {
    const auto blob = decode_nfa_blob(vector::rule());
    REQUIRE(blob);
    CHECK(blob->findings.empty());
    REQUIRE(blob->authentication.size() == 1);
    CHECK(blob->authentication[0].type == 1);
    CHECK(utf16le_to_utf8(blob->authentication[0].data) == std::string("secret\0", 7));
    CHECK(blob->interface_type == 0xFFFFFFFDu);
    CHECK(blob->interface_name.empty());
    CHECK(blob->tunnel_address == Ipv4Bytes{0, 0, 0, 0});
    CHECK(blob->is_tunnel == 0);  // IsTunnel comes before IsActive ([MS-GPIPSEC] order)
    CHECK(blob->is_active == 1);
    CHECK(blob->tunnel_name.empty());
    CHECK_FALSE(blob->alternate_authentication);
}

TEST_CASE("§3.7 ISAKMP vector: 4 methods, the first 3DES/SHA1/group 2/28 800 s; header lifetime 0") {
    const auto blob = decode_isakmp_blob(vector::isakmp());
    REQUIRE(blob);
    CHECK(blob->findings.empty());
    CHECK(blob->instance.to_string() == "{F9F9E6FF-187C-451C-9AF5-180384290492}");
    CHECK(blob->master_pfs == 0);
    CHECK(blob->options == 0);
    CHECK(blob->new_dh == std::array<std::uint8_t, 4>{});
    CHECK(blob->quick_mode_limit == 0);
    CHECK(blob->lifetime_seconds == 0);
    REQUIRE(blob->methods.size() == 4);
    const SecurityMethodRecord& m = blob->methods[0];
    CHECK(m.cipher == 3);
    CHECK(m.hash == 2);
    CHECK(m.random_function == 0);
    CHECK(m.oakley_group == 2);
    CHECK(m.quick_mode_limit == 0);
    CHECK(m.lifetime_kbytes == 0);
    CHECK(m.lifetime_seconds == 28800);
    CHECK(m.offset == 84);
}

TEST_CASE("E19: the VPNease store means ESP 3DES/MD5 for UDP 1701 to the L2TP server, PSK, default response off") {
    const auto s = import_bytes(e19_reg_file());
    CHECK(s.codes() == "");
    REQUIRE(s.store.policies.size() == 1);
    const Policy& p = s.store.policies[0];
    CHECK(p.name == "L2TP client");
    CHECK(p.assigned);
    CHECK(p.location == StoreLocation::Local);
    CHECK(p.polling_interval_minutes == 180);
    CHECK(p.main_mode.lifetime_seconds == 28800);
    CHECK(p.main_mode.offers == std::vector<MainModeOffer>{{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024},
                                                           {Cipher::TripleDes, Integrity::Md5, DhGroup::Modp1024},
                                                           {Cipher::Des, Integrity::Sha1, DhGroup::Modp768},
                                                           {Cipher::Des, Integrity::Md5, DhGroup::Modp768}});
    CHECK_FALSE(p.main_mode.master_pfs);
    REQUIRE(p.rules.size() == 2);

    const Rule& rule = p.rules[0];
    CHECK(rule.name == "L2TP server");  // an NFA has no name of its own: the MMC shows the list's
    CHECK(rule.active);
    CHECK(rule.connection_type == ConnectionType::All);
    CHECK_FALSE(rule.tunnel_endpoint);
    REQUIRE(rule.authentication.size() == 1);
    CHECK(rule.authentication[0].kind == AuthKind::PresharedKey);
    CHECK(rule.authentication[0].preshared_key.reveal() == "secret");

    const FilterList& list = *s.store.find_filter_list(rule.filter_list);
    REQUIRE(list.filters.size() == 1);
    const Filter& f = list.filters[0];
    CHECK(f.source.kind == AddressKind::Any);
    CHECK(f.destination.to_string() == "203.0.113.10");
    CHECK(f.protocol == protocol::udp);
    CHECK(f.source_port == 1701);
    CHECK(f.destination_port == 0);
    CHECK(f.mirrored);

    const FilterAction& a = *s.store.find_filter_action(rule.filter_action);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK_FALSE(a.inbound_passthrough);
    CHECK_FALSE(a.quick_mode_pfs);
    REQUIRE(a.offers.size() == 1);
    CHECK(to_string(a.offers[0]) == "ESP[3DES,MD5]:300s");

    const Rule& dr = p.rules[1];
    CHECK(dr.default_response);
    CHECK_FALSE(dr.active);
    REQUIRE(dr.default_response_action);
    CHECK(dr.default_response_action->offers == default_quick_mode_offers());
    REQUIRE(dr.authentication.size() == 1);
    CHECK(dr.authentication[0].kind == AuthKind::Kerberos);
}

TEST_CASE("a decode error names the object key and points at the byte's own line and column") {
    std::string text = e19_reg_file();
    // DataLength of the filter list 0x4a -> 0x4b: one byte more than the blob holds
    const auto at = text.find("b5,20,dc,80,c8,2e,d1,11,a8,9e,00,a0,24,8d,30,21,4a");
    REQUIRE(at != std::string::npos);
    text.replace(at + 48, 2, "ff");
    const auto s = import_bytes(text);
    const Diagnostic* d = s.first("E-REG-BLOB");
    REQUIRE(d);
    CHECK(d->message.find("ipsecFilter{5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00} ipsecData: byte offset 16") !=
          std::string::npos);
    CHECK(d->where.column == 65);  // the DataLength byte's column on its line
    CHECK(s.store.filter_lists.empty());
    CHECK(s.diagnostics.count("E-RULE-NO-FILTERLIST") == 0);  // store_checks run later, in import_inputs
}
