#include <doctest/doctest.h>

#include "import/store_checks.hpp"
#include "plan_fixture.hpp"

using namespace winipsec;
using namespace winipsec::test;

TEST_CASE("store checks: dangling references are errors; Kerberos-only negotiation is a warning") {
    StoreBuilder b;
    b.action("Req", ActionKind::Negotiate).filter("L", {.src = "me", .dst = "any"}).rule("r", "L", "Req");
    b.store.policies.front().rules.back().authentication = {AuthMethod{}};  // Kerberos
    b.store.policies.front().rules.back().authentication_defaulted = true;
    b.rule("gone", "NoSuchList", "Req");
    Diagnostics d;
    check_store(b.store, d);
    CHECK(d.count("W-AUTH-KERBEROS-ONLY") == 1);
    CHECK(d.count("E-RULE-NO-FILTERLIST") == 1);
    CHECK(d.count("W-NO-ASSIGNED-POLICY") == 0);
}

TEST_CASE("store checks: a pre-shared key makes the rule negotiable; no assigned policy is reported") {
    StoreBuilder b;
    b.action("Req", ActionKind::Negotiate).filter("L", {.src = "me", .dst = "any"}).rule("r", "L", "Req");
    AuthMethod psk;
    psk.kind = AuthKind::PresharedKey;
    psk.preshared_key = Secret("k");
    b.store.policies.front().rules.back().authentication = {psk};
    b.store.policies.front().assigned = false;
    Diagnostics d;
    check_store(b.store, d);
    CHECK(d.count("W-AUTH-KERBEROS-ONLY") == 0);
    CHECK(d.count("W-NO-ASSIGNED-POLICY") == 1);
}
