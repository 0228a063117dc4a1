// Option values of `consec add rule` (plugins/consec/consec_values.cpp).
#include <doctest/doctest.h>

#include "plugins/consec/consec_values.hpp"

using namespace winipsec;
using namespace winipsec::consec;

TEST_CASE("endpoints: keywords, addresses, subnets, ranges, lists") {
    auto any = parse_endpoint("Any");
    REQUIRE(any);
    REQUIRE(any->addresses.size() == 1);
    CHECK(any->addresses[0].kind == AddressKind::Any);
    auto list = parse_endpoint("10.0.0.1,192.168.0.0/16,10.1.1.1-10.1.1.9,dns,DefaultGateway,2001:db8::/32");
    REQUIRE(list);
    REQUIRE(list->addresses.size() == 6);
    CHECK(list->addresses[0].to_string() == "10.0.0.1");
    CHECK(list->addresses[1].to_string() == "192.168.0.0/16");
    CHECK(list->addresses[2].to_string() == "10.1.1.1-10.1.1.9");
    CHECK(list->addresses[3].to_string() == "DNS");
    CHECK(list->addresses[4].to_string() == "GATEWAY");
    CHECK(list->addresses[5].to_string() == "2001:db8::/32");
    CHECK_FALSE(list->host_bits_cleared);
    auto masked = parse_endpoint("10.1.2.3/255.255.0.0");
    REQUIRE(masked);
    CHECK(masked->addresses[0].to_string() == "10.1.0.0/16");
    CHECK(masked->host_bits_cleared);
}

TEST_CASE("endpoints the legacy model cannot hold, and ones netsh rejects") {
    const auto local = parse_endpoint("localsubnet");
    REQUIRE_FALSE(local);
    CHECK(local.error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_endpoint("10.0.0.1,any").error().kind == ValueError::Kind::Bad);
    CHECK(parse_endpoint("10.0.0.300").error().kind == ValueError::Kind::Bad);
    CHECK(parse_endpoint("10.0.0.9-10.0.0.1").error().kind == ValueError::Kind::Bad);
    CHECK(parse_endpoint("10.0.0.0/33").error().kind == ValueError::Kind::Bad);
}

TEST_CASE("ports and protocols") {
    CHECK(parse_ports("any")->empty());
    CHECK(*parse_ports("3389,135,139,445,21,20,23") == std::vector<std::uint16_t>{3389, 135, 139, 445, 21, 20, 23});
    CHECK(parse_ports("5000-5100").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_ports("0").error().kind == ValueError::Kind::Bad);
    CHECK(parse_ports("65536").error().kind == ValueError::Kind::Bad);
    CHECK(*parse_protocol("TCP") == 6);
    CHECK(*parse_protocol("icmpv6") == 58);
    CHECK(*parse_protocol("47") == 47);
    CHECK_FALSE(parse_protocol("gre"));
}

TEST_CASE("qmsecmethods: integrity first, then encryption; lifetimes in minutes and KB") {
    const auto offers = parse_quick_mode_methods("ah:sha1+esp:sha1-3des,ESP:SHA256-AES192+60min+100000kb,esp:md5-none");
    REQUIRE(offers);
    REQUIRE(offers->size() == 3);
    CHECK((*offers)[0].ah == Integrity::Sha1);
    CHECK((*offers)[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK((*offers)[1].esp == EspTransform{Cipher::Aes192, Integrity::Sha256});
    CHECK((*offers)[1].lifetime_seconds == 3600);
    CHECK((*offers)[1].lifetime_kbytes == 100000);
    CHECK((*offers)[2].esp == EspTransform{Cipher::None, Integrity::Md5});
    // `show rule` prints "+60 min" (corpus #36)
    CHECK(parse_quick_mode_methods("ESP:SHA1-AES128+60 min")->front().lifetime_seconds == 3600);
}

TEST_CASE("qmsecmethods the legacy model cannot hold") {
    CHECK(parse_quick_mode_methods("ah:aesgmac256+esp:aesgmac256-none").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_quick_mode_methods("esp:aesgcm128-aesgcm128").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_quick_mode_methods("authnoencap:sha1").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_quick_mode_methods("esp:sha1").error().kind == ValueError::Kind::Bad);
    CHECK(parse_quick_mode_methods("esp:sha1-3des+forever").error().kind == ValueError::Kind::Bad);
}

TEST_CASE("mmsecmethods in netsh's and in show rule's spelling") {
    const auto a = parse_main_mode_methods("dhgroup14:aes256-sha256,dhgroup2:3des-sha1");
    REQUIRE(a);
    CHECK((*a)[0] == MainModeOffer{Cipher::Aes256, Integrity::Sha256, DhGroup::Modp2048});
    CHECK((*a)[1] == MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024});
    CHECK((*parse_main_mode_methods("DHGroup1-DES-MD5"))[0] ==
          MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768});
    CHECK(parse_main_mode_methods("ECDHP384-3DES-SHA256").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_main_mode_methods("dhgroup2:3des").error().kind == ValueError::Kind::Bad);
}

TEST_CASE("CA names: \\' is a double quote, options at the end, | separates CAs") {
    const auto cas = parse_ca_names(
        "C=US, O=MSFT, CN=\\'Microsoft North, South, East, and West Root Authority\\' | CN=Two certmapping:yes "
        "excludecaname:yes catype:root");
    REQUIRE(cas);
    REQUIRE(cas->size() == 2);
    CHECK((*cas)[0].name == "C=US, O=MSFT, CN=\"Microsoft North, South, East, and West Root Authority\"");
    CHECK_FALSE((*cas)[0].certificate_map);
    CHECK((*cas)[1].name == "CN=Two");
    CHECK((*cas)[1].certificate_map);
    CHECK((*cas)[1].exclude_ca_name);
    CHECK(parse_ca_names("CN=Sub catype:intermediate").error().kind == ValueError::Kind::Unsupported);
    CHECK(parse_ca_names("certmapping:yes").error().kind == ValueError::Kind::Bad);
}
