// Applying invocations to the store (ipseccmd_invocation.cpp, ipseccmd_commands.cpp;
// spec windows-ipsec.md §6.1) and the worked examples E3-E7, E18 of §12.
#include <doctest/doctest.h>

#include "ipseccmd_test_support.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"
#include "import/decoded_text.hpp"
#include "plugins/ipseccmd/ipseccmd_commands.hpp"
#include "plugins/ipseccmd/ipseccmd_importer.hpp"

using namespace winipsec;
using namespace winipsec::ipseccmd;
using namespace winipsec::ipseccmd::test;

namespace {
IpAddress v4(const char* text) {
    return *IpAddress::parse(text);
}
}  // namespace

TEST_CASE("E3: ipseccmd one-direction block filters (KB 813878)") {
    const auto r = import_text(
        "ipseccmd -w REG -p \"Block UDP 1434 Filter\" -r \"Block Inbound UDP 1434 Rule\" -f *=0:1434:UDP -n BLOCK -x\n"
        "ipseccmd -w REG -p \"Block UDP 1434 Filter\" -r \"Block Outbound UDP 1434 Rule\" -f 0=*:1434:UDP -n BLOCK\n");
    CHECK(r.codes() == "");
    REQUIRE(r.store.policies.size() == 1);
    const Policy* p = r.policy("Block UDP 1434 Filter");
    REQUIRE(p);
    CHECK(p->origin == Origin::Static);
    CHECK(p->location == StoreLocation::Local);
    CHECK(p->assigned);  // -x on the first line
    CHECK(r.store.assigned_policy() == p);
    CHECK(rule_count(*p) == 2);

    const Rule* in = find_rule(*p, "Block Inbound UDP 1434 Rule");
    REQUIRE(in);
    const auto& in_filters = r.list(*in).filters;
    REQUIRE(in_filters.size() == 1);
    CHECK(in_filters[0].source.kind == AddressKind::Any);
    CHECK(in_filters[0].destination.kind == AddressKind::Me);
    CHECK(in_filters[0].destination_port == 1434);
    CHECK(in_filters[0].source_port == 0);
    CHECK(in_filters[0].protocol == protocol::udp);
    CHECK_FALSE(in_filters[0].mirrored);
    CHECK(r.action(*in).action == ActionKind::Block);

    const Rule* out = find_rule(*p, "Block Outbound UDP 1434 Rule");
    REQUIRE(out);
    const auto& out_filters = r.list(*out).filters;
    REQUIRE(out_filters.size() == 1);
    CHECK(out_filters[0].source.kind == AddressKind::Me);
    CHECK(out_filters[0].destination.kind == AddressKind::Any);
    CHECK(out_filters[0].destination_port == 1434);
    CHECK_FALSE(out_filters[0].mirrored);
    CHECK(r.action(*out).action == ActionKind::Block);
}

TEST_CASE("E4: a dynamic block filter goes into the dynamic policy, never the static store") {
    const auto r = import_text("ipseccmd -f [*=0:80:TCP]\n");
    CHECK(r.codes() == "N-IPSECCMD-DYNAMIC:1");
    CHECK(r.store.assigned_policy() == nullptr);
    REQUIRE(r.store.policies.size() == 1);
    const Policy* d = r.dynamic();
    REQUIRE(d);
    CHECK(d->origin == Origin::Dynamic);
    CHECK_FALSE(d->assigned);
    CHECK(rule_count(*d) == 1);
    const Rule* rule = find_rule(*d, "dynamic 1 block");
    REQUIRE(rule);
    const auto& f = r.list(*rule).filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].source.kind == AddressKind::Any);
    CHECK(f[0].destination.kind == AddressKind::Me);
    CHECK(f[0].destination_port == 80);
    CHECK(f[0].protocol == protocol::tcp);
    CHECK_FALSE(f[0].mirrored);
    CHECK(r.action(*rule).action == ActionKind::Block);

    // `ipseccmd -u` removes it, with its filter list and action
    const auto u = import_text("ipseccmd -f [*=0:80:TCP]\nipseccmd -u\n");
    CHECK(u.codes() == "N-IPSECCMD-DYNAMIC:1");
    CHECK(u.store.policies.empty());
    CHECK(u.store.filter_lists.empty());
    CHECK(u.store.filter_actions.empty());
}

TEST_CASE("E5: ipsecpol host firewall, mirrored '+' and the empty port before the protocol") {
    const auto r = import_text(
        "ipsecpol -w REG -p \"HostFW\" -r \"Default block\" -f 0+* -n BLOCK\n"
        "ipsecpol -w REG -p \"HostFW\" -r \"Web\" -f 0:80+*::TCP 0:443+*::TCP -n PASS\n"
        "ipsecpol -w REG -p \"HostFW\" -x\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("HostFW");
    REQUIRE(p);
    CHECK(p->assigned);
    CHECK(rule_count(*p) == 2);
    const Rule* block = find_rule(*p, "Default block");
    REQUIRE(block);
    REQUIRE(r.list(*block).filters.size() == 1);
    const Filter& all = r.list(*block).filters[0];
    CHECK(all.source.kind == AddressKind::Me);
    CHECK(all.destination.kind == AddressKind::Any);
    CHECK(all.protocol == protocol::any);
    CHECK(all.mirrored);
    CHECK(r.action(*block).action == ActionKind::Block);

    const Rule* web = find_rule(*p, "Web");
    REQUIRE(web);
    const auto& f = r.list(*web).filters;
    REQUIRE(f.size() == 2);
    for (const auto& [filter, port] : {std::pair{f[0], 80}, std::pair{f[1], 443}}) {
        CHECK(filter.source.kind == AddressKind::Me);
        CHECK(filter.source_port == port);
        CHECK(filter.destination.kind == AddressKind::Any);
        CHECK(filter.destination_port == 0);
        CHECK(filter.protocol == protocol::tcp);
        CHECK(filter.mirrored);
    }
    CHECK(r.action(*web).action == ActionKind::Permit);
}

TEST_CASE("E6: subnet, any protocol, PSK, main mode 3DES-SHA-2") {
    const auto r = import_text(
        "ipsecpol -w REG -p \"Corp\" -r \"LAN\" -f 0+10.1.0.0/255.255.0.0 -n ESP[3DES,SHA] "
        "-a PRESHARE:\"k3y\" -1s 3DES-SHA-2 -x\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("Corp");
    REQUIRE(p);
    CHECK(p->assigned);
    CHECK(p->main_mode.offers == std::vector{MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024}});
    const Rule* rule = find_rule(*p, "LAN");
    REQUIRE(rule);
    const auto& f = r.list(*rule).filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].source.kind == AddressKind::Me);
    CHECK(f[0].destination.kind == AddressKind::Specific);
    CHECK(f[0].destination.address == v4("10.1.0.0"));
    CHECK(f[0].destination.prefix_length == 16);
    CHECK(f[0].protocol == protocol::any);
    CHECK(f[0].mirrored);
    const FilterAction& a = r.action(*rule);
    CHECK(a.action == ActionKind::Negotiate);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    CHECK_FALSE(a.offers[0].ah);
    CHECK_FALSE(a.offers_defaulted);
    REQUIRE(rule->authentication.size() == 1);
    CHECK(rule->authentication[0].kind == AuthKind::PresharedKey);
    CHECK(rule->authentication[0].preshared_key.reveal() == "k3y");
    CHECK_FALSE(rule->authentication_defaulted);
    CHECK_FALSE(rule->tunnel_endpoint);
}

TEST_CASE("E7: a non-mirrored negotiate filter imports one-way (the plan's lint reports it)") {
    const auto r = import_text("ipseccmd -w REG -p \"P\" -r \"R\" -f 0=10.1.1.5 -n ESP[3DES,MD5]\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK_FALSE(p->assigned);
    const Rule* rule = find_rule(*p, "R");
    REQUIRE(rule);
    const auto& f = r.list(*rule).filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].source.kind == AddressKind::Me);
    CHECK(f[0].destination.address == v4("10.1.1.5"));
    CHECK(f[0].destination.prefix_length == 32);
    CHECK_FALSE(f[0].mirrored);
    CHECK(r.action(*rule).offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Md5});
    CHECK(rule->authentication_defaulted);
    REQUIRE(rule->authentication.size() == 1);
    CHECK(rule->authentication[0].kind == AuthKind::Kerberos);
}

TEST_CASE("E18: 'ipseccmd -f 0+*:TCP' is rejected: TCP is read as a port") {
    const auto r = import_text("ipseccmd -f 0+*:TCP\n");
    CHECK(r.codes() == "E-IPSECCMD-BAD-PORT:1");
    CHECK(r.first(code::bad_port)->where.column == 17);
    CHECK(r.first(code::bad_port)->message.find("0+*::TCP") != std::string::npos);
    CHECK(r.store.policies.empty());
}

TEST_CASE("defaults: no -n = Windows' default offers, no -a = Kerberos, no -1s = default main mode") {
    const auto r = import_text("ipseccmd -w REG -p P -r R -f 0+*\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(p->main_mode.offers == default_main_mode_offers());
    CHECK(p->polling_interval_minutes == 180);
    const Rule* rule = find_rule(*p, "R");
    REQUIRE(rule);
    const FilterAction& a = r.action(*rule);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK(a.offers_defaulted);
    CHECK(a.offers == default_quick_mode_offers());
    CHECK(rule->authentication_defaulted);
    CHECK(rule->connection_type == ConnectionType::All);
    CHECK(rule->active);
    // every policy has an inactive default response rule until -f DEFAULT
    const Rule* dr = p->default_response_rule();
    REQUIRE(dr);
    CHECK_FALSE(dr->active);
    CHECK(dr->filter_list.empty());
}

TEST_CASE("static mode: names of the objects, and where they came from") {
    const auto r = import_text("rem setup\n    ipseccmd -w REG -p \"P\" -r \"R\" -f 0+* -n BLOCK\n");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    const Rule* rule = find_rule(*p, "R");
    REQUIRE(rule);
    CHECK(rule->filter_list == filter_list_name("P", "R"));
    CHECK(rule->filter_action == filter_action_name("P", "R"));
    CHECK(rule->filter_list == "ipseccmd P/R filters");
    CHECK(rule->filter_action == "ipseccmd P/R action");
    for (const SourceLocation* where : {&p->where, &rule->where, &r.list(*rule).where, &r.action(*rule).where}) {
        CHECK(where->line == 2);
        CHECK(where->column == 5);
        CHECK(where->path() == "test.bat");
    }
    CHECK(r.list(*rule).filters[0].where.line == 2);
    CHECK(r.list(*rule).filters[0].where.column == 38);  // the spec itself
}

TEST_CASE("static mode: -r replaces a rule of the same name, keeping its place") {
    const auto r = import_text(
        "ipseccmd -w REG -p P -r A -f 0+* -n BLOCK\n"
        "ipseccmd -w REG -p P -r B -f 0+10.0.0.0/8 -n PASS\n"
        "ipseccmd -w REG -p P -r a -f 0:80+*::TCP -n PASS\n");
    CHECK(r.codes() == "N-IPSECCMD-RULE-REPLACED:1");
    CHECK(r.first(code::rule_replaced)->where.line == 3);
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(rule_count(*p) == 2);
    CHECK(p->rules[1].name == "a");  // after the default response rule, before B
    CHECK(p->rules[2].name == "B");
    const Rule* a = find_rule(*p, "A");
    REQUIRE(a);
    REQUIRE(r.list(*a).filters.size() == 1);
    CHECK(r.list(*a).filters[0].source_port == 80);
    CHECK(r.action(*a).action == ActionKind::Permit);
    CHECK(r.store.filter_lists.size() == 2);  // the replaced list is gone
    CHECK(r.store.filter_actions.size() == 2);
}

TEST_CASE("static mode: a rule without -r gets a generated name") {
    const auto r = import_text("ipseccmd -w REG -p P -f 0+* -n BLOCK\nipseccmd -w REG -p P -f *+0 -n PASS\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(find_rule(*p, "rule 1"));
    CHECK(find_rule(*p, "rule 2"));
}

TEST_CASE("static mode: -x assigns and un-assigns the previous policy; -y un-assigns") {
    auto r = import_text(
        "ipseccmd -w REG -p A -r R -f 0+* -n BLOCK -x\n"
        "ipseccmd -w REG -p B -r R -f 0+* -n PASS -x\n");
    CHECK_FALSE(r.policy("A")->assigned);
    CHECK(r.policy("B")->assigned);
    CHECK(r.store.assigned_policy()->name == "B");
    r = import_text("ipseccmd -w REG -p A -r R -f 0+* -n BLOCK -x\nipseccmd -w REG -p A -y\n");
    CHECK(r.codes() == "");
    CHECK_FALSE(r.policy("A")->assigned);
    CHECK(r.store.assigned_policy() == nullptr);
    r = import_text("ipseccmd -w REG -p A -r R -f 0+* -n BLOCK\nipseccmd -w REG -p a -x\n");  // names ignore case
    CHECK(r.policy("A")->assigned);
}

TEST_CASE("static mode: -w DS is the domain store; its assignment wins over the local one") {
    const auto r = import_text(
        "ipseccmd -w REG -p Local -r R -f 0+* -n BLOCK -x\n"
        "ipseccmd -w DS:corp.example -p Dom -r R -f 0+* -n PASS -x\n"
        "ipseccmd -w ds -p Dom2 -r R -f 0+* -n PASS\n");
    CHECK(r.codes() == "");
    CHECK(r.policy("Local")->location == StoreLocation::Local);
    CHECK(r.policy("Dom")->location == StoreLocation::Domain);
    CHECK(r.policy("Dom2")->location == StoreLocation::Domain);
    CHECK(r.policy("Local")->assigned);  // one assignment per store
    CHECK(r.policy("Dom")->assigned);
    CHECK(r.store.assigned_policy()->name == "Dom");
    CHECK(import_text("ipseccmd -w FILE -p P -r R -f 0+*\n").codes() == "E-IPSECCMD-BAD-STORE:1");
}

TEST_CASE("static mode: -p name:minutes sets the polling interval (corpus #96)") {
    const auto r = import_text("ipseccmd -w reg -p ipsec:1 -r R -f 0+* -n BLOCK -x\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("ipsec");
    REQUIRE(p);
    CHECK(p->polling_interval_minutes == 1);
    CHECK(import_text("ipseccmd -w reg -p :5 -x\n").codes() == "E-IPSECCMD-BAD-POLICY-NAME:1");
    CHECK(import_text("ipseccmd -w reg -p p:99999 -x\n").codes() == "E-IPSECCMD-BAD-POLICY-NAME:1");
}

TEST_CASE("static mode: -o deletes named rules, or the whole policy with its objects") {
    auto r = import_text(
        "ipseccmd -w REG -p P -r A -f 0+* -n BLOCK -x\n"
        "ipseccmd -w REG -p P -r B -f *+0 -n PASS\n"
        "ipseccmd -w REG -p P -r C -f *+0:80:TCP -n PASS\n"
        "ipseccmd -w REG -p P -r A -r C -r Z -o\n");
    CHECK(r.codes() == "W-IPSECCMD-NO-SUCH-RULE:1");
    CHECK(r.first(code::no_such_rule)->where.column == 35);
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(p->assigned);
    CHECK(rule_count(*p) == 1);
    CHECK(find_rule(*p, "B"));
    CHECK(r.store.filter_lists.size() == 1);
    CHECK(r.store.filter_actions.size() == 1);

    r = import_text("ipseccmd -w REG -p P -r A -f 0+* -n BLOCK -x\nipseccmd -w REG -p P -y -o\n");
    CHECK(r.codes() == "");
    CHECK(r.store.policies.empty());
    CHECK(r.store.filter_lists.empty());
    CHECK(r.store.filter_actions.empty());
    CHECK(r.store.assigned_policy() == nullptr);
}

TEST_CASE("static mode: -x / -y / -o naming a policy that does not exist warn (corpus #96 'ipsce')") {
    const auto r = import_text("ipseccmd -w reg -p ipsce -y\nipseccmd -w REG -p Q -o\nipseccmd -w REG -p Q -x\n");
    CHECK(r.codes() == "W-IPSECCMD-NO-SUCH-POLICY:3");
    CHECK(r.first(code::no_such_policy)->where.column == 20);
    CHECK(r.store.policies.empty());
}

TEST_CASE("static mode: invocations that cannot run") {
    CHECK(import_text("ipseccmd -w REG -r R -f 0+*\n").codes() == "E-IPSECCMD-MISSING-POLICY:1");
    CHECK(import_text("ipseccmd -w REG -p P\n").codes() == "E-IPSECCMD-MISSING-FILTERS:1");
    CHECK(import_text("ipseccmd -w REG -p P -n BLOCK\n").codes() == "E-IPSECCMD-MISSING-FILTERS:1");
    CHECK(import_text("ipseccmd -w REG -p P -x -y\n").codes() == "E-IPSECCMD-CONFLICTING-SWITCHES:1");
    CHECK(import_text("ipseccmd -w REG -p P -r R -f 0+* -o\n").codes() == "E-IPSECCMD-CONFLICTING-SWITCHES:1");
    CHECK(import_text("ipseccmd -w REG -p P -o -x\n").codes() == "E-IPSECCMD-CONFLICTING-SWITCHES:1");
    CHECK(import_text("ipseccmd -w REG -p P -r A -r B -f 0+*\n").codes() == "E-IPSECCMD-CONFLICTING-SWITCHES:1");
    CHECK(import_text("ipseccmd -w REG -p P -r R -f 0+* -dialup -lan\n").codes() ==
          "E-IPSECCMD-CONFLICTING-SWITCHES:1");
    const auto r = import_text("ipseccmd -w REG -p P -r R -f [0+*] -n BLOCK\n");
    CHECK(r.codes() == "E-IPSECCMD-BRACKET-STATIC:1");
    CHECK(r.first(code::bracket_static)->message.find("-n BLOCK") != std::string::npos);
    CHECK(r.store.policies.empty());
}

TEST_CASE("static mode: -r without -f or -o has no effect and says so") {
    const auto r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK\nipseccmd -w REG -p P -r R -x\n");
    CHECK(r.codes() == "W-IPSECCMD-IGNORED-SWITCH:1");
    CHECK(r.policy("P")->assigned);
}

TEST_CASE("dynamic mode: -p/-r/-x warn; [ ] blocks, ( ) passes, plain specs take -n") {
    const auto r = import_text(
        "ipseccmd -p \"SECCPP\" -r \"Block TCP/135\" -f *=0:135:TCP -n BLOCK -x\n"
        "ipseccmd -f [0+*] (0:80+*::TCP) 0+10.0.0.0/8 -n PASS\n");
    CHECK(r.codes() == "N-IPSECCMD-DYNAMIC:1 W-IPSECCMD-DYNAMIC-MODE:1");
    CHECK(r.first(code::dynamic_mode)->where.column == 10);
    CHECK(r.first(code::dynamic_mode)->message.find("-p -r -x") != std::string::npos);
    CHECK(r.store.assigned_policy() == nullptr);
    CHECK_FALSE(r.policy("SECCPP"));
    const Policy* d = r.dynamic();
    REQUIRE(d);
    CHECK(rule_count(*d) == 4);
    const Rule* first = find_rule(*d, "dynamic 1");
    REQUIRE(first);
    CHECK(r.action(*first).action == ActionKind::Block);
    CHECK(r.list(*first).filters[0].destination_port == 135);
    const Rule* plain = find_rule(*d, "dynamic 2");
    const Rule* block = find_rule(*d, "dynamic 2 block");
    const Rule* pass = find_rule(*d, "dynamic 2 pass");
    REQUIRE(plain);
    REQUIRE(block);
    REQUIRE(pass);
    CHECK(r.action(*plain).action == ActionKind::Permit);
    CHECK(r.list(*plain).filters[0].destination.prefix_length == 8);
    CHECK(r.action(*block).action == ActionKind::Block);
    CHECK(r.list(*block).filters.size() == 1);
    CHECK(r.action(*pass).action == ActionKind::Permit);
    CHECK(r.list(*pass).filters[0].source_port == 80);
    CHECK(first->filter_list == "ipseccmd dynamic/dynamic 1 filters");
}

TEST_CASE("dynamic mode: nothing to do without -f or -u") {
    CHECK(import_text("ipseccmd -n BLOCK\n").codes() == "E-IPSECCMD-MISSING-FILTERS:1");
    CHECK(import_text("ipseccmd -p P -x\n").codes() == "E-IPSECCMD-MISSING-FILTERS:1 W-IPSECCMD-DYNAMIC-MODE:1");
}

TEST_CASE("dynamic mode: -u only removes ipseccmd's own dynamic policy") {
    PolicyStore store;
    Policy other;
    other.name = "from netsh ipsec dynamic";
    other.origin = Origin::Dynamic;
    store.policies.push_back(other);
    const auto text = decode_bytes("ipseccmd -f 0+* -n BLOCK\nipseccmd -u\n", "t.bat");
    REQUIRE(text);
    Diagnostics d;
    ipseccmd_importer().import(*text, {}, store, d);
    REQUIRE(store.policies.size() == 1);
    CHECK(store.policies[0].name == "from netsh ipsec dynamic");
    CHECK(d.count(code::dynamic) == 1);
}

TEST_CASE("DEFAULT configures the policy's default response rule") {
    const auto r = import_text("ipseccmd -w REG -p P -f DEFAULT -n ESP[3DES,SHA] -a PRESHARE:\"k\"\n");
    CHECK(r.codes() == "");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(rule_count(*p) == 0);
    const Rule* dr = p->default_response_rule();
    REQUIRE(dr);
    CHECK(dr->active);
    REQUIRE(dr->default_response_action);
    CHECK(dr->default_response_action->offers.size() == 1);
    CHECK(dr->authentication[0].kind == AuthKind::PresharedKey);
    CHECK(import_text("ipseccmd -w REG -p P -f DEFAULT -n BLOCK\n").codes() == "E-IPSECCMD-BAD-NEGOTIATION:1");
}

TEST_CASE("tunnel rules: -t sets the endpoint; mirrored filters in a tunnel warn; no E7 warning") {
    auto r = import_text(
        "ipseccmd -w REG -p VPN -r Out -f 10.1.0.0/16=10.2.0.0/16 -t 192.0.2.2 -n ESP[3DES,SHA] -a PRESHARE:\"k\"\n");
    CHECK(r.codes() == "");
    const Rule* rule = find_rule(*r.policy("VPN"), "Out");
    REQUIRE(rule);
    REQUIRE(rule->tunnel_endpoint);
    CHECK(rule->tunnel_endpoint->address == v4("192.0.2.2"));
    r = import_text(
        "ipseccmd -w REG -p VPN -r Out -f 10.1.0.0/16+10.2.0.0/16 -t 192.0.2.2 -n ESP[3DES,SHA] "
        "-a PRESHARE:\"k\"\n");
    CHECK(r.codes() == "W-IPSECCMD-TUNNEL-MIRRORED:1");
    CHECK(import_text("ipseccmd -w REG -p VPN -r Out -f 0+* -t 10.0.0.0/8\n").codes() == "E-IPSECCMD-BAD-TUNNEL:1");
}

TEST_CASE("-soft, -dialup, -lan, -1e, -1f") {
    auto r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n ESP[DES,MD5] -a CERT:\"CN=CA\" -soft -dialup\n");
    CHECK(r.codes() == "");
    const Rule* rule = find_rule(*r.policy("P"), "R");
    CHECK(rule->connection_type == ConnectionType::Dialup);
    CHECK(r.action(*rule).fallback_to_clear);
    r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK -soft\n");
    CHECK(r.codes() == "W-IPSECCMD-IGNORED-SWITCH:1");
    CHECK_FALSE(r.action(*find_rule(*r.policy("P"), "R")).fallback_to_clear);
    r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK -1e 300 -1f 0+*\n");
    CHECK(r.codes() == "W-IPSECCMD-IGNORED-SWITCH:2");
}

TEST_CASE("policy-wide settings change only when given") {
    const auto r = import_text(
        "ipseccmd -w REG -p P -r A -f 0+* -n BLOCK -1s DES-MD5-1 -1k 3600S\n"
        "ipseccmd -w REG -p P -r B -f *+0 -n PASS\n");
    const Policy* p = r.policy("P");
    REQUIRE(p);
    CHECK(p->main_mode.offers == std::vector{MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768}});
    CHECK(p->main_mode.lifetime_seconds == 3600);
}
