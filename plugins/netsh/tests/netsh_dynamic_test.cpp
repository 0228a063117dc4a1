// netsh ipsec dynamic (spec §5): classified, kept apart from the static store.
#include <doctest/doctest.h>

#include "plugins/netsh/tests/netsh_test_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh::test;

namespace {
std::string nid(std::initializer_list<std::string_view> lines) {
    std::string out;
    for (const auto line : lines) out += "netsh ipsec dynamic " + std::string(line) + "\n";
    return out;
}
}  // namespace

TEST_CASE("permit and block rules go into the dynamic policy, each with its own filter list") {
    const auto r = import_text(nid({"add mmpolicy name=TempMMpolicy",
                                    "add rule srcaddr=any dstaddr=any mmpolicy=TempMMpolicy actioninbound=block "
                                    "actionoutbound=block",
                                    "add rule srcaddr=any dstaddr=me mmpolicy=TempMMpolicy protocol=TCP srcport=0 "
                                    "dstport=80 mirrored=no actioninbound=permit actionoutbound=permit conntype=lan"}));
    CHECK(r.codes() == "N-NETSH-DYNAMIC:1 W-NETSH-DYNAMIC-NOT-IMPORTED:1");
    CHECK(r.store.find_policy("netsh ipsec dynamic") == nullptr);  // not in the static store
    const Policy& p = r.policy("netsh ipsec dynamic");
    CHECK(p.origin == Origin::Dynamic);
    CHECK_FALSE(p.assigned);
    CHECK(r.store.assigned_policy() == nullptr);
    REQUIRE(p.rules.size() == 2);
    CHECK(p.default_response_rule() == nullptr);
    const Rule& block = p.rules[0];
    CHECK(r.action(block.filter_action).action == ActionKind::Block);
    const FilterList& l0 = r.list(block.filter_list);
    REQUIRE(l0.filters.size() == 1);
    CHECK(l0.filters[0].source.kind == AddressKind::Any);
    CHECK(l0.filters[0].mirrored);
    const Rule& permit = p.rules[1];
    CHECK(r.action(permit.filter_action).action == ActionKind::Permit);
    CHECK(permit.connection_type == ConnectionType::Lan);
    const Filter& f = r.list(permit.filter_list).filters.at(0);
    CHECK(f.protocol == protocol::tcp);
    CHECK(f.destination_port == 80);
    CHECK_FALSE(f.mirrored);
    CHECK(permit.filter_list != block.filter_list);
}

TEST_CASE("negotiate rules and rules with different actions per direction are not imported") {
    const auto r =
        import_text(nid({"add rule srcaddr=any dstaddr=any mmpolicy=M",
                         "add rule srcaddr=any dstaddr=any mmpolicy=M actioninbound=block actionoutbound=permit",
                         "add rule srcaddr=any dstaddr=any mmpolicy=M actioninbound=negotiate "
                         "actionoutbound=negotiate qmpolicy=Q"}));
    CHECK(r.codes() == "N-NETSH-DYNAMIC:1 W-NETSH-DYNAMIC-NOT-IMPORTED:3");
    CHECK(r.first("W-NETSH-DYNAMIC-NOT-IMPORTED").message.find("actioninbound=negotiate") != std::string::npos);
    CHECK(r.store.policies.empty());
}

TEST_CASE("dynamic rules are checked like static filters") {
    const auto r =
        import_text(nid({"add rule srcaddr=any dstaddr=me protocol=ICMP dstport=8 actioninbound=block "
                         "actionoutbound=block mmpolicy=M",
                         "add rule srcaddr=any dstaddr=me actioninbound=block actionoutbound=block",
                         "add rule srca=any dsta=me mmp=M actioni=block actiono=block tunneldst=0"}));
    CHECK(r.codes() == "E-NETSH-MISSING-TAG:1 E-NETSH-PORT-PROTOCOL:1 N-NETSH-DYNAMIC:1");
    CHECK(r.policy("netsh ipsec dynamic").rules.size() == 1);
}

TEST_CASE("set config property=ipsecexempt sets NoDefaultExempt; other properties are not imported") {
    const auto r = import_text(
        "pushd ipsec dynamic\nset config property=ipsecdiagnostics value=7\n"
        "set config property=ipsecexempt value=3\nset config property=bootmode value=stateful\n"
        "set config property=nosuch value=1\nset config property=ipsecexempt value=4\npopd\n");
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:2 N-NETSH-DYNAMIC:1 W-NETSH-DYNAMIC-NOT-IMPORTED:2");
    CHECK(r.store.no_default_exempt == 3);
    CHECK(r.store.policies.empty());
}

TEST_CASE("dynamic delete all empties what was imported; static commands do not touch it") {
    const auto r = import_text(
        nid({"delete all",
             "add rule srcaddr=any dstaddr=any mmpolicy=M actioninbound=block "
             "actionoutbound=block"}) +
        "netsh ipsec static delete all\n" +
        nid({"add rule srcaddr=any dstaddr=me mmpolicy=M actioninbound=permit actionoutbound=permit", "delete all"}));
    CHECK(r.codes() == "N-NETSH-DYNAMIC:1 N-NETSH-DYNAMIC-DELETED:1");
    CHECK(r.first("N-NETSH-DYNAMIC-DELETED").message.find("2 dynamic rules") != std::string::npos);
    CHECK(r.store.policies.empty());
    CHECK(r.store.filter_lists.empty());
    CHECK(r.store.filter_actions.empty());
    const auto kept = import_text(nid({"add rule srcaddr=any dstaddr=any mmpolicy=M actioninbound=block "
                                       "actionoutbound=block"}) +
                                  "netsh ipsec static delete all\n");
    CHECK(kept.policy("netsh ipsec dynamic").rules.size() == 1);
    CHECK(kept.store.filter_lists.size() == 1);
    CHECK(kept.store.filter_actions.size() == 1);
}

TEST_CASE("other dynamic commands are recognised and reported") {
    const auto r = import_text(nid({"add qmpolicy name=Q pfsgroup=grp2", "set mmpolicy name=M mmlifetime=5",
                                    "set rule srcaddr=any dstaddr=any actioninbound=block", "delete mmpolicy all",
                                    "delete rule srcaddr=any dstaddr=any", "show all", "add mmsas"}));
    CHECK(r.codes() ==
          "E-NETSH-UNKNOWN-COMMAND:1 N-NETSH-DYNAMIC:1 N-NETSH-SHOW-IGNORED:1 W-NETSH-DYNAMIC-NOT-IMPORTED:5");
}
