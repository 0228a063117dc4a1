// -n, -a, -1s, -1k (ipseccmd_negotiation.cpp; spec windows-ipsec.md §6.1, §6.3).
#include <doctest/doctest.h>

#include "ipseccmd_test_support.hpp"
#include "plugins/ipseccmd/ipseccmd_arguments.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"
#include "plugins/ipseccmd/ipseccmd_negotiation.hpp"

using namespace winipsec;
using namespace winipsec::ipseccmd;
using namespace winipsec::ipseccmd::test;

namespace {

// The values of the first switch of "ipseccmd <args>", as the argument parser splits them.
template <class T>
struct Result {
    ScriptLine line;
    std::optional<T> value;
    Diagnostics diagnostics;
};

template <class T, class Parse>
std::unique_ptr<Result<T>> parse_switch(const std::string& args, Parse parse) {
    auto r = std::make_unique<Result<T>>();
    r->line = make_line("ipseccmd " + args);
    const auto raw = parse_arguments(classify_line(r->line), r->diagnostics);
    REQUIRE(raw);
    REQUIRE(!raw->switches.empty());
    r->value = parse(raw->switches.front().values, r->diagnostics);
    return r;
}

auto negotiation(const std::string& values) {
    return parse_switch<NegotiationPolicy>("-n " + values, parse_negotiation_list);
}
auto auth(const std::string& values) {
    return parse_switch<std::vector<AuthMethod>>("-a " + values, parse_auth_list);
}
auto main_mode(const std::string& values) {
    return parse_switch<std::vector<MainModeOffer>>("-1s " + values, parse_main_mode_list);
}
auto rekey(const std::string& value) {
    return parse_switch<MainModeRekey>(
        "-1k " + value, [](const std::vector<Word>& v, Diagnostics& d) { return parse_main_mode_rekey(v.front(), d); });
}

QuickModeOffer esp(Cipher c, Integrity i, std::uint32_t kb = 0, std::uint32_t s = 0) {
    QuickModeOffer o;
    o.esp = EspTransform{c, i};
    o.lifetime_kbytes = kb;
    o.lifetime_seconds = s;
    return o;
}

}  // namespace

TEST_CASE("-n actions: BLOCK, PASS, INPASS in any case") {
    auto n = negotiation("BLOCK");
    REQUIRE(n->value);
    CHECK(n->value->action == ActionKind::Block);
    n = negotiation("pass");
    REQUIRE(n->value);
    CHECK(n->value->action == ActionKind::Permit);
    n = negotiation("INPASS");
    REQUIRE(n->value);
    CHECK(n->value->action == ActionKind::Negotiate);
    CHECK(n->value->inbound_passthrough);
    CHECK(n->value->offers.empty());  // the Windows defaults apply
    n = negotiation("INPASS ESP[3DES,SHA]");
    REQUIRE(n->value);
    CHECK(n->value->inbound_passthrough);
    CHECK(n->value->offers.size() == 1);
    n = negotiation("BLOCK ESP[3DES,SHA]");
    CHECK_FALSE(n->value);
    CHECK(n->diagnostics.count(code::bad_negotiation) == 1);
}

TEST_CASE("-n offers: ESP, AH, AH+ESP; SHA means SHA-1") {
    auto n = negotiation("ESP[3DES,SHA] ESP[DES,MD5] AH[SHA1] AH[MD5]+ESP[DES,NONE] ESP[NONE,SHA1]");
    REQUIRE(n->value);
    const auto& o = n->value->offers;
    REQUIRE(o.size() == 5);
    CHECK(o[0] == esp(Cipher::TripleDes, Integrity::Sha1));
    CHECK(o[1] == esp(Cipher::Des, Integrity::Md5));
    CHECK(o[2].ah == Integrity::Sha1);
    CHECK_FALSE(o[2].esp);
    CHECK(o[3].ah == Integrity::Md5);
    CHECK(o[3].esp == EspTransform{Cipher::Des, Integrity::None});
    CHECK(o[4].esp == EspTransform{Cipher::None, Integrity::Sha1});
    CHECK_FALSE(n->value->quick_mode_pfs);
}

TEST_CASE("-n: ESP[auth,conf] order is accepted too (third-party scripts)") {
    auto n = negotiation("ESP[SHA,3DES] esp[md5,none] ESP[NONE,DES]");
    REQUIRE(n->value);
    CHECK(n->value->offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK(n->value->offers[1].esp == EspTransform{Cipher::None, Integrity::Md5});
    CHECK(n->value->offers[2].esp == EspTransform{Cipher::Des, Integrity::None});
}

TEST_CASE("-n: ESP[NONE,NONE] protects nothing and is an error") {
    const auto n = negotiation("ESP[3DES,SHA] ESP[NONE,NONE]");
    CHECK_FALSE(n->value);
    REQUIRE(n->diagnostics.count(code::esp_none) == 1);
    CHECK(n->diagnostics.all()[0].where.column == 30);  // the ESP of the second offer (after "ipseccmd -n ")
}

TEST_CASE("-n: malformed offers") {
    for (const char* bad : {"AH[NONE]", "ESP[AES,SHA]", "ESP[3DES,DES]", "ESP[3DES]", "ESP[3DES,SHA", "AH[MD5]+AH[SHA]",
                            "ESP[3DES,SHA]+AH[MD5]", "ESP[3DES,SHA]x", "BOGUS", "3600S", "ESP[3DES,SHA] 3600S/3600S",
                            "ESP[3DES,SHA] 3600X", "ESP[3DES,SHA] PFS4", "ESP[3DES,SHA]:100K 200S"}) {
        CAPTURE(bad);
        const auto n = negotiation(bad);
        CHECK_FALSE(n->value);
        CHECK(n->diagnostics.count(code::bad_negotiation) >= 1);
    }
}

TEST_CASE("-n rekey: 3600S/100000K in either order, glued or separate, quoted as one value (corpus #21)") {
    auto n = negotiation("\"esp[3des,sha] 3600S/100000K\"");
    REQUIRE(n->value);
    CHECK(n->value->offers == std::vector{esp(Cipher::TripleDes, Integrity::Sha1, 100000, 3600)});
    n = negotiation("ESP[DES,MD5]100000K/2000S");
    REQUIRE(n->value);
    CHECK(n->value->offers == std::vector{esp(Cipher::Des, Integrity::Md5, 100000, 2000)});
    n = negotiation("ESP[DES,MD5]:100000k/2000s AH[MD5] 300s");  // netsh style too
    REQUIRE(n->value);
    CHECK(n->value->offers[0] == esp(Cipher::Des, Integrity::Md5, 100000, 2000));
    CHECK(n->value->offers[1].lifetime_seconds == 300);
    CHECK(n->value->offers[1].lifetime_kbytes == 0);
}

TEST_CASE("-n PFS: PFS, PFS1, PFS2") {
    auto n = negotiation("ESP[3DES,SHA]PFS");
    REQUIRE(n->value);
    CHECK(n->value->quick_mode_pfs);
    CHECK(n->diagnostics.all().empty());
    n = negotiation("ESP[3DES,SHA] 3600S PFS2");
    REQUIRE(n->value);
    CHECK(n->value->quick_mode_pfs);
    CHECK(n->value->offers[0].lifetime_seconds == 3600);
    CHECK(n->diagnostics.count(code::pfs_group) == 1);
    n = negotiation("ESP[3DES,SHA]3600S/50000KPFS1");
    REQUIRE(n->value);
    CHECK(n->value->quick_mode_pfs);
}

TEST_CASE("-a: PRESHARE, the p: abbreviation, KERBEROS, CERT, in preference order") {
    auto a = auth("PRESHARE:\"k3y\" KERBEROS CERT:\"CN=Root CA, O=Example\"");
    REQUIRE(a->value);
    REQUIRE(a->value->size() == 3);
    CHECK((*a->value)[0].kind == AuthKind::PresharedKey);
    CHECK((*a->value)[0].preshared_key.reveal() == "k3y");
    CHECK((*a->value)[0].where.column == 13);
    CHECK((*a->value)[1].kind == AuthKind::Kerberos);
    CHECK((*a->value)[2].kind == AuthKind::Certificate);
    CHECK((*a->value)[2].certificate_ca == "CN=Root CA, O=Example");
    a = auth("p:\"my secret\"");
    REQUIRE(a->value);
    CHECK((*a->value)[0].preshared_key.reveal() == "my secret");
    a = auth("kerberos");
    REQUIRE(a->value);
    CHECK((*a->value)[0].kind == AuthKind::Kerberos);
    for (const char* bad : {"PRESHARE:", "PRESHARE", "KERBEROS:x", "CERT", "FOO", ":x"}) {
        CAPTURE(bad);
        const auto b = auth(bad);
        CHECK_FALSE(b->value);
        CHECK(b->diagnostics.count(code::bad_auth) == 1);
    }
}

TEST_CASE("-1s: main-mode methods cipher-hash-group") {
    auto m = main_mode("3DES-SHA-2 DES-MD5-1 3des-sha1-3");
    REQUIRE(m->value);
    REQUIRE(m->value->size() == 3);
    CHECK((*m->value)[0] == MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024});
    CHECK((*m->value)[1] == MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768});
    CHECK((*m->value)[2] == MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp2048});
    for (const char* bad : {"AES-SHA-2", "3DES-SHA", "3DES-SHA-5", "3DES-NONE-2", "NONE-SHA-2", "3DES-SHA-2-1"}) {
        CAPTURE(bad);
        const auto b = main_mode(bad);
        CHECK_FALSE(b->value);
        CHECK(b->diagnostics.count(code::bad_main_mode) == 1);
    }
}

TEST_CASE("-1k: quick modes and/or seconds, either order") {
    auto k = rekey("10Q/3600S");
    REQUIRE(k->value);
    CHECK(k->value->quick_modes == 10u);
    CHECK(k->value->seconds == 3600u);
    k = rekey("3600s/10q");
    REQUIRE(k->value);
    CHECK(k->value->quick_modes == 10u);
    CHECK(k->value->seconds == 3600u);
    k = rekey("28800S");
    REQUIRE(k->value);
    CHECK_FALSE(k->value->quick_modes);
    CHECK(k->value->seconds == 28800u);
    for (const char* bad : {"10Q/10Q", "10X", "Q", "10Q/", "abc"}) {
        CAPTURE(bad);
        const auto b = rekey(bad);
        CHECK_FALSE(b->value);
        CHECK(b->diagnostics.count(code::bad_main_mode) == 1);
    }
}

TEST_CASE("security switches reach the store") {
    const auto r = import_text(
        "ipseccmd -w REG -p P -r R -f 0+10.0.0.0/8 -n ESP[3DES,SHA]PFS -a PRESHARE:\"k\" -1s DES-MD5-1 -1k 5Q/600S "
        "-1p -soft -lan\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(p->main_mode.offers == std::vector{MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768}});
    CHECK(p->main_mode.quick_modes_per_main_mode == 5);
    CHECK(p->main_mode.lifetime_seconds == 600);
    CHECK(p->main_mode.master_pfs);
    const Rule* rule = find_rule(*p, "R");
    REQUIRE(rule);
    CHECK(rule->connection_type == ConnectionType::Lan);
    CHECK_FALSE(rule->authentication_defaulted);
    REQUIRE(rule->authentication.size() == 1);
    CHECK(rule->authentication[0].kind == AuthKind::PresharedKey);
    const FilterAction& a = r.action(*rule);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK(a.quick_mode_pfs);
    CHECK(a.fallback_to_clear);
    CHECK_FALSE(a.offers_defaulted);
    CHECK(a.offers == std::vector{esp(Cipher::TripleDes, Integrity::Sha1)});
}

TEST_CASE("-n errors stop the invocation") {
    const auto r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n ESP[NONE,NONE]\n");
    CHECK(r.codes() == "E-IPSECCMD-ESP-NONE:1");
    CHECK(r.store.policies.empty());
}
