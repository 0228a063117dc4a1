// `consec add rule` options mapped to the legacy model, and the options it
// refuses (plugins/consec/consec_rule.cpp, consec_policy.cpp).
#include <doctest/doctest.h>

#include "plugins/consec/tests/consec_test_support.hpp"

using namespace winipsec;
using namespace winipsec::consec::test;

TEST_CASE("a transport rule: one mirrored filter per endpoint and port combination, port1 with endpoint1") {
    const auto r = add_rule(
        "name=web endpoint1=10.0.0.5,10.0.0.6 endpoint2=any port1=80,443 protocol=tcp "
        "action=requireinrequireout auth1=computerpsk auth1psk=s3cret qmsecmethods=esp:sha1-aes128");
    CHECK(r.codes() == "");
    const Policy& p = r.policy();
    CHECK(p.assigned);
    REQUIRE(r.rules().size() == 1);
    const Rule& rule = r.rule("web");
    CHECK(rule.active);
    CHECK_FALSE(rule.tunnel_endpoint);
    const auto& fs = r.list_of(rule).filters;
    REQUIRE(fs.size() == 4);
    CHECK(fs[0].source.to_string() == "10.0.0.5");
    CHECK(fs[0].source_port == 80);
    CHECK(fs[0].destination.to_string() == "any");
    CHECK(fs[0].destination_port == 0);
    CHECK(fs[0].protocol == protocol::tcp);
    CHECK(fs[0].mirrored);
    CHECK(fs[3].source.to_string() == "10.0.0.6");
    CHECK(fs[3].source_port == 443);
    REQUIRE(rule.authentication.size() == 1);
    CHECK(rule.authentication[0].kind == AuthKind::PresharedKey);
    CHECK(rule.authentication[0].preshared_key.reveal() == "s3cret");
    const FilterAction& a = r.action_of(rule);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK_FALSE(a.inbound_passthrough);
    CHECK_FALSE(a.fallback_to_clear);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].esp == EspTransform{Cipher::Aes128, Integrity::Sha1});
}

TEST_CASE("actions: require/request per direction become negotiate with soft and inpass; exempt is permit") {
    auto action = [](const char* a) {
        const auto r =
            add_rule(std::string("name=x endpoint1=any endpoint2=10.0.0.0/8 auth1=computerkerb action=") + a);
        REQUIRE(r.rules().size() == 1);
        return r.action_of(*r.rules()[0]);
    };
    const FilterAction require_request = action("requireinrequestout");
    CHECK(require_request.action == ActionKind::Negotiate);
    CHECK_FALSE(require_request.inbound_passthrough);
    CHECK(require_request.fallback_to_clear);
    const FilterAction request = action("RequestInRequestOut");
    CHECK(request.inbound_passthrough);
    CHECK(request.fallback_to_clear);
    CHECK(action("noauthentication").action == ActionKind::Permit);
    const auto clear_out = add_rule("name=x endpoint1=any endpoint2=any action=requireinclearout");
    CHECK(clear_out.codes() == "E-CONSEC-UNSUPPORTED:1");
    CHECK(clear_out.rules().empty());
}

TEST_CASE("no auth1 and no qmsecmethods: Windows' defaults, said so") {
    const auto r = add_rule("name=x endpoint1=any endpoint2=any action=requireinrequestout");
    CHECK(r.codes() == "N-CONSEC-DEFAULT-METHODS:1");
    const Rule& rule = r.rule("x");
    CHECK(rule.authentication_defaulted);
    REQUIRE(rule.authentication.size() == 1);
    CHECK(rule.authentication[0].kind == AuthKind::Kerberos);
    CHECK(r.action_of(rule).offers_defaulted);
    CHECK(r.action_of(rule).offers == default_quick_mode_offers());
}

TEST_CASE("certificates from auth1ca, in auth1 order with Kerberos") {
    const auto r = add_rule(
        "name=c endpoint1=any endpoint2=any action=requestinrequestout auth1=computerkerb,computercert "
        "auth1ca=\"CN=\\'Corp Root\\' certmapping:yes|CN=Other\" auth1healthcert=no qmsecmethods=ah:sha256");
    CHECK(r.codes() == "");
    const Rule& rule = r.rule("c");
    REQUIRE(rule.authentication.size() == 3);
    CHECK(rule.authentication[0].kind == AuthKind::Kerberos);
    CHECK(rule.authentication[1].kind == AuthKind::Certificate);
    CHECK(rule.authentication[1].certificate_ca == "CN=\"Corp Root\"");
    CHECK(rule.authentication[1].certificate_map);
    CHECK(rule.authentication[2].certificate_ca == "CN=Other");
    CHECK(r.action_of(rule).offers[0].ah == Integrity::Sha256);
}

TEST_CASE("tunnel mode: two non-mirrored rules, each through the other side's gateway (spec §8.6)") {
    const auto r = add_rule(
        "name=\"Tunnel\" mode=tunnel endpoint1=192.168.0.0/16 endpoint2=192.157.0.0/16 localtunnelendpoint=1.1.1.1 "
        "remotetunnelendpoint=2.2.2.2 action=requireinrequireout qmsecmethods=esp:sha1-3des auth1=computerpsk "
        "auth1psk=k");
    CHECK(r.codes() == "");
    REQUIRE(r.rules().size() == 2);
    const Rule& out = r.rule("Tunnel (outbound)");
    REQUIRE(out.tunnel_endpoint);
    CHECK(out.tunnel_endpoint->to_string() == "2.2.2.2");
    const auto& out_filters = r.list_of(out).filters;
    REQUIRE(out_filters.size() == 1);
    CHECK(out_filters[0].source.to_string() == "192.168.0.0/16");
    CHECK(out_filters[0].destination.to_string() == "192.157.0.0/16");
    CHECK_FALSE(out_filters[0].mirrored);
    const Rule& in = r.rule("Tunnel (inbound)");
    CHECK(in.tunnel_endpoint->to_string() == "1.1.1.1");
    CHECK(r.list_of(in).filters[0].source.to_string() == "192.157.0.0/16");
    CHECK(in.filter_action == out.filter_action);
}

TEST_CASE("tunnel mode needs both endpoints, and named addresses") {
    CHECK(add_rule(
              "name=t mode=tunnel endpoint1=any endpoint2=any localtunnelendpoint=1.1.1.1 action=requireinrequireout")
              .codes() == "E-CONSEC-MISSING-TAG:1");
    CHECK(
        add_rule("name=t mode=tunnel endpoint1=any endpoint2=any localtunnelendpoint=any remotetunnelendpoint=2.2.2.2 "
                 "action=requireinrequireout")
            .codes() == "E-CONSEC-UNSUPPORTED:1");
}

TEST_CASE("conditions: enable, profile, interfacetype, type") {
    const auto r = add_rule(
        "name=x endpoint1=any endpoint2=any action=noauthentication enable=no profile=domain,private,public "
        "interfacetype=ras type=static");
    CHECK(r.codes() == "");
    CHECK_FALSE(r.rule("x").active);
    CHECK(r.rule("x").connection_type == ConnectionType::Dialup);
    CHECK(add_rule("name=x endpoint1=any endpoint2=any action=noauthentication interfacetype=wireless,lan")
              .rule("x")
              .connection_type == ConnectionType::Lan);
}

TEST_CASE("refused options are each named, with their place; the rule is not imported") {
    const auto r = add_rule(
        "name=x endpoint1=any endpoint2=localsubnet action=requireinrequireout profile=domain interfacetype=lan "
        "type=dynamic auth1=computerkerb,computerntlm auth2=userkerb port2=1000-2000 protocol=tcp qmpfs=ecdhp384 "
        "applyauthz=yes");
    CHECK(r.codes() == "E-CONSEC-UNSUPPORTED:9");
    CHECK(r.rules().empty());
    CHECK(r.first("E-CONSEC-UNSUPPORTED").where.to_string() == "test.bat:1:56");
    std::string all;
    for (const auto& d : r.diagnostics.all()) all += d.message + "\n";
    for (const char* named :
         {"endpoint2=localsubnet", "profile=domain", "interfacetype=lan", "type=dynamic",
          "auth1=computerkerb,computerntlm", "auth2=userkerb", "port2=1000-2000", "qmpfs=ecdhp384", "applyauthz=yes"})
        CHECK_MESSAGE(all.find(named) != std::string::npos, named);
}

TEST_CASE("values netsh rejects, unknown and missing tags") {
    CHECK(add_rule("name=x endpoint1=any endpoint2=any action=sometimes").codes() == "E-CONSEC-BAD-VALUE:1");
    CHECK(add_rule("name=x endpoint1=any endpoint2=any action=noauthentication port1=80").codes() ==
          "E-CONSEC-BAD-VALUE:1");  // ports need tcp or udp
    const auto typo = add_rule("name=x endpointl=any endpoint2=any action=noauthentication");
    CHECK(typo.codes() == "E-CONSEC-MISSING-TAG:1 E-CONSEC-UNKNOWN-TAG:1");
    CHECK(typo.first("E-CONSEC-UNKNOWN-TAG").message.find("did you mean endpoint1 or endpoint2?") != std::string::npos);
    const auto untagged = add_rule("\"IPSEC\" endpoint=any action=noauthentication");
    CHECK(untagged.codes() == "E-CONSEC-UNTAGGED:1");
    CHECK(add_rule("name=all endpoint1=any endpoint2=any action=noauthentication").codes() == "E-CONSEC-BAD-VALUE:1");
    CHECK(add_rule("name=x endpoint1=any endpoint2=any action=requireinrequireout auth1=computerpsk").codes() ==
          "E-CONSEC-MISSING-TAG:1");
}

TEST_CASE("a pre-shared key never appears in a diagnostic") {
    const auto r = add_rule(
        "name=x endpoint1=any endpoint2=any action=requireinrequireout auth1=computerpsk auth1psk=TopSecret1 "
        "auth1psk=TopSecret2 frobnicate=1");
    for (const auto& d : r.diagnostics.all()) CHECK(d.message.find("TopSecret") == std::string::npos);
}

TEST_CASE("the endpoint lists' product is capped") {
    std::string many = "name=x endpoint1=any protocol=tcp action=noauthentication port1=";
    for (int p = 1; p <= 100; ++p) many += (p > 1 ? "," : "") + std::to_string(p);
    many += " port2=";
    for (int p = 1; p <= 100; ++p) many += (p > 1 ? "," : "") + std::to_string(1000 + p);
    many += " endpoint2=10.0.0.1";
    CHECK(add_rule(many).codes() == "E-CONSEC-TOO-MANY-FILTERS:1");
}
