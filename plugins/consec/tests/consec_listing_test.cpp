// `netsh advfirewall consec show rule` listings (plugins/consec/consec_listing.cpp).
#include <doctest/doctest.h>

#include "plugins/consec/tests/consec_test_support.hpp"

using namespace winipsec;
using namespace winipsec::consec::test;

TEST_CASE("each rule block is imported as the add rule it describes") {
    const auto r = import_text(
        "\n"
        "Rule Name:                            Secure web\n"
        "----------------------------------------------------------------------\n"
        "Enabled:                              Yes\n"
        "Profiles:                             Domain,Private,Public\n"
        "Type:                                 Static\n"
        "Mode:                                 Transport\n"
        "Endpoint1:                            Any\n"
        "Endpoint2:                            10.1.0.0/16\n"
        "Port1:                                Any\n"
        "Port2:                                443\n"
        "Protocol:                             TCP\n"
        "Action:                               RequireInRequestOut\n"
        "Auth1:                                ComputerPSK\n"
        "Auth1PSK:                             12345\n"
        "MainModeSecMethods:                   DHGroup2-3DES-SHA1\n"
        "QuickModeSecMethods:                  ESP:SHA1-AES128+60min+100000kb\n"
        "\n"
        "Rule Name:                            Exempt DNS\n"
        "Enabled:                              No\n"
        "Endpoint1:                            Any\n"
        "Endpoint2:                            dns\n"
        "Action:                               NoAuthentication\n"
        "Ok.\n");
    CHECK(r.codes() == "");
    REQUIRE(r.rules().size() == 2);
    const Rule& web = r.rule("Secure web");
    const auto& fs = r.list_of(web).filters;
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].destination.to_string() == "10.1.0.0/16");
    CHECK(fs[0].destination_port == 443);
    CHECK(fs[0].mirrored);
    CHECK(web.authentication[0].preshared_key.reveal() == "12345");
    CHECK(r.action_of(web).fallback_to_clear);
    CHECK(r.action_of(web).offers[0].lifetime_seconds == 3600);
    CHECK(r.policy().main_mode.offers ==
          std::vector<MainModeOffer>{{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024}});
    CHECK_FALSE(r.rule("Exempt DNS").active);
    CHECK(web.where.to_string() == "test.bat:2:1");
}

TEST_CASE("a collapsed listing whose colons were lost still reads; unknown lines are warnings") {
    const auto r = import_text(
        "Rule Name:test\nEndpoint1:Any\nEndpoint2:Any\nAction:RequireInRequireOut\n"
        "QuickModeSecMethodsESP:SHA1-3DES\nSome stray words\n");
    CHECK(r.codes() == "W-CONSEC-UNKNOWN-LINE:1");
    CHECK(r.first("W-CONSEC-UNKNOWN-LINE").where.to_string() == "test.bat:6:1");
    REQUIRE(r.rules().size() == 1);
    CHECK(r.action_of(*r.rules()[0]).offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
}
