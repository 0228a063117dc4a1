// Filter actions, rules, authentication and the default response rule (spec
// §4.2, §4.4, §8.5, §8.6).
#include <doctest/doctest.h>

#include "plugins/netsh/tests/netsh_test_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh::test;

namespace {

// A policy P, filter list L and action A to hang rules on.
std::string base() {
    return nis({"add policy name=P", "add filter filterlist=L srcaddr=me dstaddr=10.0.0.0 dstmask=8",
                "add filteraction name=A action=permit"});
}

const Rule& rule(const Imported& r, std::string_view name) {
    for (const auto& x : r.policy("P").rules)
        if (names_equal(x.name, name) && !x.default_response) return x;
    FAIL("no rule ", std::string(name));
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("add filteraction: negotiate with Windows' default offers when none are given") {
    const auto r = import_text(nis({"add filteraction name=Req"}));
    CHECK(r.codes() == "");
    const FilterAction& a = r.action("req");
    CHECK(a.action == ActionKind::Negotiate);
    CHECK(a.offers == default_quick_mode_offers());
    CHECK(a.offers_defaulted);
    CHECK_FALSE(a.inbound_passthrough);
    CHECK_FALSE(a.fallback_to_clear);
    CHECK_FALSE(a.quick_mode_pfs);
}

TEST_CASE("add filteraction with every tag (corpus #08, E15)") {
    const auto r =
        import_text(nis({"add filteraction name=\"AH_Only\" qmpfs=yes soft=no inpass=yes action=negotiate "
                         "qmsec=\"AH[MD5]:100000k/1000s AH[SHA1]:100000k/1000s\" description=x",
                         "add filteraction name=Request action=negotiate inpass=yes soft=yes "
                         "qmsecmethods=\"ESP[3DES,SHA1] AH[SHA1]\""}));
    CHECK(r.codes() == "");
    const FilterAction& a = r.action("AH_Only");
    CHECK(a.quick_mode_pfs);
    CHECK(a.inbound_passthrough);
    CHECK_FALSE(a.fallback_to_clear);
    CHECK_FALSE(a.offers_defaulted);
    REQUIRE(a.offers.size() == 2);
    CHECK(a.offers[0].ah == Integrity::Md5);
    CHECK(a.offers[0].lifetime_kbytes == 100000);
    CHECK(a.offers[0].lifetime_seconds == 1000);
    CHECK(a.description == "x");
    const FilterAction& q = r.action("Request");
    CHECK(q.fallback_to_clear);
    REQUIRE(q.offers.size() == 2);
    CHECK(q.offers[1].ah == Integrity::Sha1);
}

TEST_CASE("permit and block keep no offers; offers given to them are pointed out") {
    const auto r = import_text(nis({"add filteraction name=B action=block",
                                    "add filteraction name=P action=PERMIT "
                                    "qmsecmethods=\"ESP[DES,MD5]\""}));
    CHECK(r.codes() == "W-NETSH-OFFERS-UNUSED:1");
    CHECK(r.action("B").offers.empty());
    CHECK(r.action("P").action == ActionKind::Permit);
}

TEST_CASE("ESP[None,None] is rejected (E18)") {
    const auto r = import_text(nis({"add filteraction name=Y action=negotiate qmsecmethods=\"ESP[None,None]\""}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1");
    CHECK(r.store.filter_actions.empty());
}

TEST_CASE("set filteraction: fields, rename keeps rules linked, negotiate gets default offers") {
    const auto r = import_text(base() + nis({"add rule name=R policy=P filterlist=L filteraction=A",
                                             "set filteraction name=A newname=B action=negotiate qmpfs=yes",
                                             "set filteraction name=Nope action=block"}));
    CHECK(r.codes() == "E-NETSH-NO-SUCH-FILTERACTION:1");
    const FilterAction& b = r.action("B");
    CHECK(b.action == ActionKind::Negotiate);
    CHECK(b.offers_defaulted);
    CHECK(b.quick_mode_pfs);
    CHECK(rule(r, "R").filter_action == "B");
}

TEST_CASE("delete filteraction: missing is a note, in use is refused [I]") {
    const auto r =
        import_text(base() + nis({"add filteraction name=Free", "add rule name=R policy=P filterlist=L filteraction=A",
                                  "delete filteraction name=A", "delete filteraction Free",
                                  "delete filteraction name=Free", "delete filteraction all"}));
    CHECK(r.codes() == "E-NETSH-IN-USE:2 N-NETSH-NOTHING-TO-DELETE:1");
    CHECK(r.store.find_filter_action("A"));
    CHECK_FALSE(r.store.find_filter_action("Free"));
}

TEST_CASE("add rule links existing objects; defaults: active, all connections, transport, Kerberos") {
    const auto r = import_text(base() + nis({"add rule name=R policy=p filterlist=l filteraction=a description=d"}));
    CHECK(r.codes() == "");
    const Rule& x = rule(r, "R");
    CHECK(x.filter_list == "L");
    CHECK(x.filter_action == "A");
    CHECK(x.description == "d");
    CHECK(x.active);
    CHECK(x.connection_type == ConnectionType::All);
    CHECK_FALSE(x.tunnel_endpoint);
    REQUIRE(x.authentication.size() == 1);
    CHECK(x.authentication[0].kind == AuthKind::Kerberos);
    CHECK(x.authentication_defaulted);
    CHECK(x.where.line == 4);
}

TEST_CASE("add rule needs the policy, list and action to exist at that point (corpus #06)") {
    const auto r = import_text(
        nis({"add policy name=Haishion", "add filteraction name=Perm action=permit", "add filterlist name=UnLimitedIP",
             "add rule name=R policy=Haishon filterlist=UnLimitedIP2 filteraction=Permit"}));
    CHECK(r.codes() == "E-NETSH-NO-SUCH-FILTERACTION:1 E-NETSH-NO-SUCH-FILTERLIST:1 E-NETSH-NO-SUCH-POLICY:1");
    CHECK(r.first("E-NETSH-NO-SUCH-FILTERACTION").message.find("did you mean 'Perm'") != std::string::npos);
    CHECK(r.first("E-NETSH-NO-SUCH-POLICY").message.find("did you mean 'Haishion'") != std::string::npos);
    CHECK(r.first("E-NETSH-NO-SUCH-FILTERLIST").message.find("did you mean 'UnLimitedIP'") != std::string::npos);
    CHECK(r.first("E-NETSH-NO-SUCH-FILTERACTION").where.column == 88);
    CHECK(r.policy("Haishion").rules.size() == 1);
}

TEST_CASE("a rule name is unique within its policy") {
    const auto r =
        import_text(base() + nis({"add policy name=Q", "add rule name=R policy=P filterlist=L filteraction=A",
                                  "add rule name=r policy=P filterlist=L filteraction=A",
                                  "add rule name=R policy=Q filterlist=L filteraction=A"}));
    CHECK(r.codes() == "E-NETSH-DUPLICATE-NAME:1");
    CHECK(r.policy("P").rules.size() == 2);
    CHECK(r.policy("Q").rules.size() == 2);
}

TEST_CASE("authentication: the order on the line is the preference order") {
    const auto r = import_text(base() + nis({"add rule name=R policy=P filterlist=L filteraction=A psk=\"s3cret\" "
                                             "rootca=\"CN=Root certmap:yes\" kerberos=yes rootca=\"CN=\\'Two\\'\""}));
    CHECK(r.codes() == "");
    const Rule& x = rule(r, "R");
    CHECK_FALSE(x.authentication_defaulted);
    REQUIRE(x.authentication.size() == 4);
    CHECK(x.authentication[0].kind == AuthKind::PresharedKey);
    CHECK(x.authentication[0].preshared_key.reveal() == "s3cret");
    CHECK(x.authentication[1].kind == AuthKind::Certificate);
    CHECK(x.authentication[1].certificate_ca == "CN=Root");
    CHECK(x.authentication[1].certificate_map);
    CHECK(x.authentication[2].kind == AuthKind::Kerberos);
    CHECK(x.authentication[3].certificate_ca == "CN=\"Two\"");
    CHECK(x.authentication[0].where.column == 73);
}

TEST_CASE("kerberos=no alone leaves Windows' default, with a warning; an empty psk is an error") {
    const auto r = import_text(base() + nis({"add rule name=R policy=P filterlist=L filteraction=A kerberos=no",
                                             "add rule name=S policy=P filterlist=L filteraction=A kerberos=no psk=k",
                                             "add rule name=T policy=P filterlist=L filteraction=A psk=\"\""}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1 W-NETSH-NO-AUTHENTICATION:1");
    CHECK(rule(r, "R").authentication_defaulted);
    REQUIRE(rule(r, "S").authentication.size() == 1);
    CHECK(rule(r, "S").authentication[0].kind == AuthKind::PresharedKey);
}

TEST_CASE("tunnel, conntype, activate") {
    const auto r =
        import_text(base() + nis({"add rule name=R policy=P filterlist=L filteraction=A tunnel=203.0.113.2 "
                                  "conntype=dialup activate=no",
                                  "add rule name=S policy=P filterlist=L filteraction=A tunnel=0 conntype=lan",
                                  "add rule name=T policy=P filterlist=L filteraction=A tunnel=gw.example"}));
    CHECK(r.codes() == "W-NETSH-DNS-NAME:1");
    const Rule& x = rule(r, "R");
    REQUIRE(x.tunnel_endpoint);
    CHECK(x.tunnel_endpoint->to_string() == "203.0.113.2");
    CHECK(x.connection_type == ConnectionType::Dialup);
    CHECK_FALSE(x.active);
    CHECK_FALSE(rule(r, "S").tunnel_endpoint);
    CHECK(rule(r, "S").connection_type == ConnectionType::Lan);
    CHECK(rule(r, "T").tunnel_endpoint->kind == AddressKind::DnsName);
}

TEST_CASE("set rule: by name or 1-based id; any authentication replaces the whole list") {
    const auto r =
        import_text(base() + nis({"add filterlist name=L2", "add filteraction name=B action=block",
                                  "add rule name=R policy=P filterlist=L filteraction=A psk=a kerberos=yes",
                                  "add rule name=S policy=P filterlist=L filteraction=A",
                                  "set rule name=R policy=P rootca=\"CN=X\" newname=R2 activate=no",
                                  "set rule id=2 policy=P filterlist=L2 filteraction=B conntype=lan",
                                  "set rule id=3 policy=P activate=no", "set rule name=Nope policy=P activate=no",
                                  "set rule name=R2 policy=P filterlist=Missing"}));
    CHECK(r.codes() == "E-NETSH-NO-SUCH-FILTERLIST:1 E-NETSH-NO-SUCH-RULE:2");
    const Rule& x = rule(r, "R2");
    CHECK_FALSE(x.active);
    REQUIRE(x.authentication.size() == 1);
    CHECK(x.authentication[0].kind == AuthKind::Certificate);
    const Rule& s = rule(r, "S");
    CHECK(s.filter_list == "L2");
    CHECK(s.filter_action == "B");
    CHECK(s.connection_type == ConnectionType::Lan);
    CHECK(s.authentication_defaulted);  // untouched by set rule without authentication
}

TEST_CASE("delete rule: by name, id, all; the default response rule stays") {
    const auto r = import_text(base() + nis({"add rule name=R1 policy=P filterlist=L filteraction=A",
                                             "add rule name=R2 policy=P filterlist=L filteraction=A",
                                             "add rule name=R3 policy=P filterlist=L filteraction=A",
                                             "delete rule name=R1 policy=P", "delete rule id=1 policy=P"}));
    CHECK(r.codes() == "");
    REQUIRE(r.policy("P").rules.size() == 2);
    CHECK(r.policy("P").rules[1].name == "R3");
    const auto all = import_text(base() + nis({"add rule name=R1 policy=P filterlist=L filteraction=A",
                                               "del rule all P", "del rule all Nothere"}));
    CHECK(all.codes() == "N-NETSH-NOTHING-TO-DELETE:1");
    REQUIRE(all.policy("P").rules.size() == 1);
    CHECK(all.policy("P").rules[0].default_response);
}

TEST_CASE("set defaultrule edits the default response rule (corpus #08)") {
    const auto r = import_text(nis({"add policy name=\"IIS_Server_Policy\" assign=no",
                                    "set defaultrule policy=\"IIS_Server_Policy\" activate=no", "add policy name=Q",
                                    "set defaultrule policy=Q qmpfs=yes qmsecmethods=\"ESP[3DES,MD5]:300s\" psk=k",
                                    "set defaultrule policy=Nope activate=no"}));
    CHECK(r.codes() == "E-NETSH-NO-SUCH-POLICY:1");
    CHECK_FALSE(r.policy("IIS_Server_Policy").default_response_rule()->active);
    const Rule& d = *r.policy("Q").default_response_rule();
    CHECK(d.active);
    CHECK(d.default_response_action->quick_mode_pfs);
    REQUIRE(d.default_response_action->offers.size() == 1);
    CHECK(d.default_response_action->offers[0].lifetime_seconds == 300);
    CHECK_FALSE(d.default_response_action->offers_defaulted);
    REQUIRE(d.authentication.size() == 1);
    CHECK(d.authentication[0].kind == AuthKind::PresharedKey);
    CHECK_FALSE(d.authentication_defaulted);
}
