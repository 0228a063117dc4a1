// Batch files of netsh advfirewall commands (plugins/consec/consec_script.cpp,
// consec_importer.cpp): what is run, what is only reported.
#include <doctest/doctest.h>

#include "plugins/consec/consec_policy.hpp"
#include "plugins/consec/tests/consec_test_support.hpp"

using namespace winipsec;
using namespace winipsec::consec::test;

TEST_CASE("delete rule takes out the rule, its tunnel twin, its lists and action") {
    const auto r = import_text(
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n"
        "netsh advfirewall consec add rule name=t mode=tunnel endpoint1=10.1.0.0/16 endpoint2=10.2.0.0/16 "
        "localtunnelendpoint=1.1.1.1 remotetunnelendpoint=2.2.2.2 action=requireinrequireout auth1=computerpsk "
        "auth1psk=k qmsecmethods=esp:sha1-aes128\n"
        "netsh advfirewall consec delete rule name=T\n"
        "netsh advfirewall consec delete rule name=nothing\n");
    CHECK(r.codes() == "W-CONSEC-DELETE-NOTHING:1");
    REQUIRE(r.rules().size() == 1);
    CHECK(r.rules()[0]->name == "a");
    CHECK(r.store.filter_lists.size() == 1);
    CHECK(r.store.filter_actions.size() == 1);
}

TEST_CASE("delete rule name=all, and delete narrowed by endpoints is refused") {
    const auto r = import_text(
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n"
        "netsh advfirewall consec delete rule name=a endpoint1=10.0.0.1\n"
        "netsh advfirewall consec add rule name=b endpoint1=any endpoint2=any action=noauthentication\n");
    CHECK(r.codes() == "E-CONSEC-UNSUPPORTED:1");
    CHECK(r.rules().size() == 2);
    CHECK(import_text("netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n"
                      "netsh advfirewall consec delete rule name=all\n")
              .rules()
              .empty());
}

TEST_CASE("a duplicate name is kept, as Windows keeps it") {
    const auto r = import_text(
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n"
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=10.0.0.1 action=noauthentication\n");
    CHECK(r.codes() == "W-CONSEC-DUPLICATE-NAME:1");
    CHECK(r.rules().size() == 2);
    CHECK(r.store.filter_lists.size() == 2);
}

TEST_CASE("global main mode: netsh's positional form and tag=value") {
    const auto r = import_text(
        "netsh advfirewall set global mainmode mmsecmethods dhgroup14:aes256-sha256,dhgroup2:3des-sha1\n"
        "netsh advfirewall set global mainmode mmkeylifetime=60min,5sess\n"
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n");
    CHECK(r.codes() == "");
    const Policy& p = r.policy();
    REQUIRE(p.main_mode.offers.size() == 2);
    CHECK(p.main_mode.offers[0] == MainModeOffer{Cipher::Aes256, Integrity::Sha256, DhGroup::Modp2048});
    CHECK(p.main_mode.lifetime_seconds == 3600);
    CHECK(p.main_mode.quick_modes_per_main_mode == 5);
    CHECK(import_text("netsh advfirewall set global mainmode mmsecmethods dhgroup24:aes256-sha256\n").codes() ==
          "E-CONSEC-UNSUPPORTED:1");
}

TEST_CASE("other commands are reported for what they are") {
    const auto r = import_text(
        "@echo off\n"
        "netsh advfirewall set store gpo=domain.contoso.com\\gpo_name\n"
        "netsh advfirewall consec show rule name=all\n"
        "netsh advfirewall firewall add rule name=rdp dir=in action=allow protocol=tcp localport=3389\n"
        "netsh advfirewall set global ipsec defaultexemptions dhcp\n"
        "netsh advfirewall consec set rule name=a new enable=no\n"
        "netsh ipsec static add policy name=p\n"
        "ipconfig /all\n"
        "REM netsh advfirewall consec delete rule name=a\n");
    CHECK(r.codes() ==
          "E-CONSEC-UNSUPPORTED-COMMAND:1 N-CONSEC-COMMENTED-OUT:1 N-CONSEC-NO-EFFECT:1 N-CONSEC-NOT-A-COMMAND:1 "
          "N-CONSEC-STORE:1 W-CONSEC-GLOBAL-IGNORED:1 W-CONSEC-LEGACY-COMMAND:1 W-CONSEC-NOT-IPSEC:1");
    CHECK(r.first("W-CONSEC-LEGACY-COMMAND").where.to_string() == "test.bat:7:1");
}

TEST_CASE("a file without any consec command is an error") {
    CHECK(import_text("ipconfig /all\n").codes() == "E-CONSEC-NO-COMMANDS:1 N-CONSEC-NOT-A-COMMAND:1");
}

TEST_CASE("netsh -f script lines have no netsh in front") {
    const auto r =
        import_text("advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n");
    CHECK(r.rules().size() == 1);
}

TEST_CASE("the consec policy is assigned unless another policy is") {
    PolicyStore store;
    Policy legacy;
    legacy.name = "Legacy";
    legacy.assigned = true;
    store.policies.push_back(legacy);
    const auto r = import_text(
        "netsh advfirewall consec add rule name=a endpoint1=any endpoint2=any action=noauthentication\n", store);
    CHECK(r.codes() == "W-CONSEC-NOT-ASSIGNED:1");
    CHECK_FALSE(r.policy().assigned);
}

TEST_CASE("recognise: consec scripts beat netsh's 20; files with legacy lines stay netsh's") {
    CHECK(recognise("netsh advfirewall consec add rule name=x endpoint1=any endpoint2=any action=noauthentication\n") ==
          100);
    CHECK(recognise("REM x\nnetsh advfirewall consec add rule name=x\n") == 80);
    CHECK(recognise("netsh ipsec static add policy name=p\nnetsh advfirewall consec add rule name=x\n") == 25);
    CHECK(recognise("netsh ipsec static add policy name=p\n") == 0);
    // console prompts (corpus #94) and a script's tag=value lines that look like listing labels
    CHECK(recognise("C:\\> netsh ipsec static add filter\nprotocol=ANY\naction=permit\nprotocol=TCP\n"
                    "C:\\> netsh advfirewall consec add rule name=x\n") == 25);
    CHECK(recognise("protocol=ANY\naction=permit\nprotocol=TCP\n") == 0);
    CHECK(recognise("Rule Name: x\nEnabled: Yes\nEndpoint1: Any\nEndpoint2: Any\nAction: RequestInRequestOut\n") == 90);
}
