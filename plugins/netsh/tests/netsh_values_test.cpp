// Value grammars (spec §4.3).
#include <doctest/doctest.h>

#include "plugins/netsh/netsh_values.hpp"

using namespace winipsec;
using namespace winipsec::netsh;

TEST_CASE("booleans: yes/no, y/n, any case") {
    CHECK(parse_bool("yes") == true);
    CHECK(parse_bool("YES") == true);
    CHECK(parse_bool("y") == true);
    CHECK(parse_bool("No") == false);
    CHECK(parse_bool("n") == false);
    CHECK_FALSE(parse_bool("true"));
    CHECK_FALSE(parse_bool(""));
}

TEST_CASE("numbers and ports") {
    CHECK(parse_number("480", 1, 1000) == 480u);
    CHECK_FALSE(parse_number("0", 1, 1000));
    CHECK_FALSE(parse_number("-1", 0, 10));
    CHECK_FALSE(parse_number("1e3", 0, 10000));
    CHECK(parse_port("0") == 0);
    CHECK(parse_port("65535") == 65535);
    CHECK_FALSE(parse_port("65536"));
    CHECK_FALSE(parse_port("http"));
}

TEST_CASE("protocols: names, any case, and numbers 0-255") {
    CHECK(parse_protocol("ANY") == protocol::any);
    CHECK(parse_protocol("icmp") == protocol::icmp);
    CHECK(parse_protocol("Tcp") == protocol::tcp);
    CHECK(parse_protocol("UDP") == protocol::udp);
    CHECK(parse_protocol("RAW") == protocol::raw);
    CHECK(parse_protocol("50") == 50);
    CHECK(parse_protocol("0") == 0);
    CHECK_FALSE(parse_protocol("256"));
    const auto esp = parse_protocol("esp");
    REQUIRE_FALSE(esp);
    CHECK(esp.error().find("50 for ESP") != std::string::npos);
}

TEST_CASE("addresses: keywords, IPv4, IPv6, ranges, servers, DNS names") {
    CHECK(parse_address("me")->kind == AddressKind::Me);
    CHECK(parse_address("ME")->kind == AddressKind::Me);
    CHECK(parse_address("Any")->kind == AddressKind::Any);
    const auto v4 = parse_address("10.1.2.3");
    REQUIRE(v4);
    CHECK(v4->kind == AddressKind::Specific);
    CHECK(v4->address.to_string() == "10.1.2.3");
    CHECK(v4->prefix_length == 32);
    const auto v6 = parse_address("2001:db8::1");
    REQUIRE(v6);
    CHECK(v6->address.family == IpFamily::V6);
    CHECK(v6->prefix_length == 128);
    const auto range = parse_address("10.0.0.1-10.0.0.9");
    REQUIRE(range);
    CHECK(range->kind == AddressKind::Range);
    CHECK(range->range_last.to_string() == "10.0.0.9");
    CHECK_FALSE(parse_address("10.0.0.9-10.0.0.1"));
    CHECK_FALSE(parse_address("10.0.0.1-2001:db8::1"));
    CHECK_FALSE(parse_address("10.0.0.1-foo"));
    const auto dns = parse_address("dns");
    REQUIRE(dns);
    CHECK(dns->kind == AddressKind::Server);
    CHECK(dns->server == ServerKind::Dns);
    CHECK(parse_address("WINS")->server == ServerKind::Wins);
    CHECK(parse_address("Dhcp")->server == ServerKind::Dhcp);
    CHECK(parse_address("GATEWAY")->server == ServerKind::Gateway);
    const auto name = parse_address("YOUR.WSUS.HOST.NAME");
    REQUIRE(name);
    CHECK(name->kind == AddressKind::DnsName);
    CHECK(name->dns_name == "YOUR.WSUS.HOST.NAME");
    CHECK(parse_address("localhost")->kind == AddressKind::DnsName);
    CHECK(parse_address("my-host.example")->kind == AddressKind::DnsName);
    CHECK_FALSE(parse_address("1.2.3.256"));
    CHECK_FALSE(parse_address("1.2.3"));
    CHECK_FALSE(parse_address("%%i"));
    CHECK_FALSE(parse_address("a..b"));
    CHECK_FALSE(parse_address(""));
}

TEST_CASE("masks: dotted, prefix length, contiguous only") {
    CHECK(parse_mask("255.255.0.0", IpFamily::V4) == 16);
    CHECK(parse_mask("255.255.255.255", IpFamily::V4) == 32);
    CHECK(parse_mask("0.0.0.0", IpFamily::V4) == 0);
    CHECK(parse_mask("24", IpFamily::V4) == 24);
    CHECK(parse_mask("32", IpFamily::V4) == 32);
    CHECK_FALSE(parse_mask("33", IpFamily::V4));
    CHECK(parse_mask("64", IpFamily::V6) == 64);
    CHECK(parse_mask("ffff:ffff::", IpFamily::V6) == 32);
    CHECK_FALSE(parse_mask("255.255.0.0", IpFamily::V6));
    const auto holes = parse_mask("255.0.255.0", IpFamily::V4);
    REQUIRE_FALSE(holes);
    CHECK(holes.error().find("not contiguous") != std::string::npos);
    CHECK_FALSE(parse_mask("mask", IpFamily::V4));
}

TEST_CASE("actions, connection types, store locations") {
    CHECK(parse_action("Permit") == ActionKind::Permit);
    CHECK(parse_action("BLOCK") == ActionKind::Block);
    CHECK(parse_action("negotiate") == ActionKind::Negotiate);
    CHECK_FALSE(parse_action("deny"));
    CHECK(parse_conntype("lan") == ConnectionType::Lan);
    CHECK(parse_conntype("DialUp") == ConnectionType::Dialup);
    CHECK(parse_conntype("all") == ConnectionType::All);
    CHECK_FALSE(parse_conntype("wireless"));
    CHECK(parse_store_location("local") == StoreLocation::Local);
    CHECK(parse_store_location("Domain") == StoreLocation::Domain);
    CHECK(parse_store_location("persistent") == StoreLocation::Persistent);
    CHECK_FALSE(parse_store_location("gpo"));
}

TEST_CASE("tunnel endpoints: IPv4 or DNS name; 0 means transport") {
    const auto t = parse_tunnel("203.0.113.2");
    REQUIRE(t);
    REQUIRE(*t);
    CHECK((*t)->address.to_string() == "203.0.113.2");
    CHECK((*t)->prefix_length == 32);
    CHECK_FALSE(*parse_tunnel("0"));
    CHECK_FALSE(*parse_tunnel("0.0.0.0"));
    CHECK((**parse_tunnel("gw.example")).kind == AddressKind::DnsName);
    CHECK_FALSE(parse_tunnel("2001:db8::1"));
    CHECK_FALSE(parse_tunnel("me"));
}

TEST_CASE("mmsecmethods: cipher-hash-group, group 3 is 2048-bit (IKE 14)") {
    const auto m = parse_mmsecmethods("3DES-SHA1-2 des-md5-1 3DES-SHA1-3");
    REQUIRE(m);
    REQUIRE(m->size() == 3);
    CHECK((*m)[0] == MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024});
    CHECK((*m)[1] == MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768});
    CHECK((*m)[2].group == DhGroup::Modp2048);
    CHECK_FALSE(parse_mmsecmethods("3DES-SHA1-4"));
    CHECK_FALSE(parse_mmsecmethods("AES128-SHA1-2"));
    CHECK_FALSE(parse_mmsecmethods("3DES-SHA1"));
    CHECK_FALSE(parse_mmsecmethods(""));
    const auto wfas = parse_mmsecmethods("3DES-SHA1 DHGroup2;AES128-SHA256 DHGroup14");
    REQUIRE_FALSE(wfas);
    CHECK(wfas.error().find("advfirewall") != std::string::npos);
}

TEST_CASE("qmsecmethods: ESP, AH, AH+ESP, lifetimes in either order") {
    const auto q = parse_qmsecmethods(
        "ESP[3DES,SHA1]:100000k/3600s AH[MD5]:300s esp[des,none]:50000K "
        "AH[SHA1]+ESP[3DES,None] ESP[None,MD5]:600s/20000k");
    REQUIRE(q);
    REQUIRE(q->size() == 5);
    CHECK((*q)[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK_FALSE((*q)[0].ah);
    CHECK((*q)[0].lifetime_kbytes == 100000);
    CHECK((*q)[0].lifetime_seconds == 3600);
    CHECK((*q)[1].ah == Integrity::Md5);
    CHECK((*q)[1].lifetime_seconds == 300);
    CHECK((*q)[1].lifetime_kbytes == 0);
    CHECK((*q)[2].esp == EspTransform{Cipher::Des, Integrity::None});
    CHECK((*q)[2].lifetime_kbytes == 50000);
    CHECK((*q)[3].ah == Integrity::Sha1);
    CHECK((*q)[3].esp == EspTransform{Cipher::TripleDes, Integrity::None});
    CHECK((*q)[4].lifetime_seconds == 600);
    CHECK((*q)[4].lifetime_kbytes == 20000);
    CHECK(to_string((*q)[0]) == "ESP[3DES,SHA1]:100000k/3600s");
}

TEST_CASE("qmsecmethods errors: ESP[None,None] (E18), bad names, bad lifetimes") {
    const auto none = parse_qmsecmethods("ESP[None,None]");
    REQUIRE_FALSE(none);
    CHECK(none.error().find("protects nothing") != std::string::npos);
    CHECK_FALSE(parse_qmsecmethods("AH[None]"));
    CHECK_FALSE(parse_qmsecmethods("ESP[AES128,SHA1]"));
    CHECK(parse_qmsecmethods("ESP[3DES,SHA]").error().find("SHA1") != std::string::npos);
    CHECK_FALSE(parse_qmsecmethods("ESP[3DES]"));
    CHECK_FALSE(parse_qmsecmethods("ESP:3DES-SHA1"));
    CHECK_FALSE(parse_qmsecmethods("ESP[3DES,SHA1]:3600"));
    CHECK_FALSE(parse_qmsecmethods("ESP[3DES,SHA1]:3600s/7200s"));
    CHECK_FALSE(parse_qmsecmethods("ESP[3DES,SHA1]:0s"));
    CHECK_FALSE(parse_qmsecmethods("AH[MD5]+"));
    CHECK_FALSE(parse_qmsecmethods("AH[MD5]+AH[SHA1]"));
    CHECK_FALSE(parse_qmsecmethods(""));
    CHECK_FALSE(parse_qmsecmethods("default"));
}

TEST_CASE("rootca: CA name with \\' for quotes and certmap/excludecaname options") {
    const auto r = parse_rootca(R"(CN=\'Corp Root\', O=Corp certmap:yes excludecaname:no)");
    REQUIRE(r);
    CHECK(r->kind == AuthKind::Certificate);
    CHECK(r->certificate_ca == R"(CN="Corp Root", O=Corp)");
    CHECK(r->certificate_map);
    CHECK_FALSE(r->exclude_ca_name);
    const auto plain = parse_rootca("CN=Root");
    REQUIRE(plain);
    CHECK(plain->certificate_ca == "CN=Root");
    CHECK_FALSE(plain->certificate_map);
    CHECK(parse_rootca("CN=Root ExcludeCAName:YES")->exclude_ca_name);
    CHECK_FALSE(parse_rootca("CN=Root certmap:maybe"));
    CHECK_FALSE(parse_rootca("certmap:yes"));
}
