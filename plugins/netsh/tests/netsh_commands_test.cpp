// Policies, filter lists, filters and store commands applied in order (spec
// §4.2, §4.4, §4.5).
#include <doctest/doctest.h>

#include "plugins/netsh/tests/netsh_test_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh::test;

TEST_CASE("add policy: Windows' defaults and the default response rule") {
    const auto r = import_text(nis({"add policy name=\"Web\" description=\"d\""}));
    CHECK(r.codes() == "");
    const Policy& p = r.policy("web");  // names compare case-insensitively
    CHECK(p.name == "Web");
    CHECK(p.description == "d");
    CHECK_FALSE(p.assigned);
    CHECK(p.origin == Origin::Static);
    CHECK(p.location == StoreLocation::Local);
    CHECK(p.polling_interval_minutes == 180);
    CHECK(p.main_mode.offers == default_main_mode_offers());
    CHECK(p.main_mode.lifetime_seconds == 28800);
    CHECK(p.main_mode.quick_modes_per_main_mode == 0);
    CHECK_FALSE(p.main_mode.master_pfs);
    CHECK(p.where.line == 1);
    CHECK(p.where.column == 1);
    REQUIRE(p.rules.size() == 1);
    const Rule& d = p.rules[0];
    CHECK(d.default_response);
    CHECK(d.active);
    CHECK(d.filter_list.empty());
    REQUIRE(d.default_response_action);
    CHECK(d.default_response_action->action == ActionKind::Negotiate);
    CHECK(d.default_response_action->offers == default_quick_mode_offers());
    CHECK(d.default_response_action->offers_defaulted);
    REQUIRE(d.authentication.size() == 1);
    CHECK(d.authentication[0].kind == AuthKind::Kerberos);
    CHECK(d.authentication_defaulted);
}

TEST_CASE("add policy with every tag; quoted numbers and booleans are fine") {
    const auto r = import_text(
        nis({"add policy name=\"AD Trusts\" mmpfs=\"yes\" qmpermm=5 mmlifetime=\"10\" "
             "activatedefaultrule=\"no\" pollinginterval=\"5\" assign=no mmsec=\"3DES-SHA1-3 DES-MD5-1\""}));
    CHECK(r.codes() == "");
    const Policy& p = r.policy("AD Trusts");
    CHECK(p.main_mode.master_pfs);
    CHECK(p.main_mode.quick_modes_per_main_mode == 1);  // master PFS: one quick mode per main mode
    CHECK(p.main_mode.lifetime_seconds == 600);
    CHECK(p.polling_interval_minutes == 5);
    REQUIRE(p.main_mode.offers.size() == 2);
    CHECK(p.main_mode.offers[0] == MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp2048});
    CHECK_FALSE(p.default_response_rule()->active);
}

TEST_CASE("a bad value rejects the whole command") {
    const auto r = import_text(nis({"add policy name=P mmlifetime=ten assign=yes"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1");
    CHECK(r.store.policies.empty());
    CHECK(r.first("E-NETSH-BAD-VALUE").where.column == 49);
}

TEST_CASE("assign=yes un-assigns every other policy; set policy assign=no un-assigns") {
    auto r = import_text(nis({"add policy name=A assign=yes", "add policy name=B assign=y", "add policy name=C"}));
    CHECK_FALSE(r.policy("A").assigned);
    CHECK(r.policy("B").assigned);
    CHECK(r.store.assigned_policy()->name == "B");
    r = import_text(nis({"add policy name=A", "add policy name=B assign=yes", "set policy name=A assign=yes",
                         "set policy A assign=n"}));
    CHECK(r.codes() == "");
    CHECK(r.store.assigned_policy() == nullptr);
}

TEST_CASE("set policy changes only what it names; newname renames") {
    const auto r = import_text(nis({"add policy name=P description=old", "set policy name=p newname=Q mmlifetime=60",
                                    "set policy name=Q activatedefaultrule=no mmsecmethods=\"DES-SHA1-1\""}));
    CHECK(r.codes() == "");
    const Policy& p = r.policy("Q");
    CHECK(p.description == "old");
    CHECK(p.main_mode.lifetime_seconds == 3600);
    CHECK(p.main_mode.offers.size() == 1);
    CHECK_FALSE(p.default_response_rule()->active);
}

TEST_CASE("set policy on a missing policy, or renaming onto another, is an error") {
    const auto r =
        import_text(nis({"add policy name=Alpha", "add policy name=Beta", "set policy name=Alpah assign=yes",
                         "set policy name=Alpha newname=beta", "set policy guid={00000000-0000} assign=yes"}));
    CHECK(r.codes() == "E-NETSH-DUPLICATE-NAME:1 E-NETSH-NO-SUCH-POLICY:2");
    CHECK(r.first("E-NETSH-NO-SUCH-POLICY").message.find("did you mean 'Alpha'") != std::string::npos);
    CHECK(r.store.assigned_policy() == nullptr);
    CHECK(r.store.find_policy("Alpha"));
}

TEST_CASE("gponame is noted and ignored") {
    const auto r = import_text(nis({"add policy name=P", "set policy name=P gponame=GPO1"}));
    CHECK(r.codes() == "N-NETSH-GPONAME-IGNORED:1");
}

TEST_CASE("duplicate names are rejected, case-insensitively") {
    const auto r = import_text(nis({"add policy name=P assign=yes", "add policy name=p", "add filterlist name=L",
                                    "add filterlist name=l", "add filteraction name=A", "add filteraction name=a"}));
    CHECK(r.codes() == "E-NETSH-DUPLICATE-NAME:3");
    CHECK(r.store.policies.size() == 1);
    CHECK(r.policy("P").assigned);
    CHECK(r.store.filter_lists.size() == 1);
    CHECK(r.store.filter_actions.size() == 1);
}

TEST_CASE("delete policy removes it and its rules; lists and actions stay") {
    const auto r = import_text(
        nis({"add policy name=P", "add filterlist name=L", "add filteraction name=A",
             "add rule name=R policy=P filterlist=L filteraction=A", "delete policy P", "delete policy name=Gone"}));
    CHECK(r.codes() == "N-NETSH-NOTHING-TO-DELETE:1");
    CHECK(r.store.policies.empty());
    CHECK(r.store.filter_lists.size() == 1);
    CHECK(r.store.filter_actions.size() == 1);
}

TEST_CASE("delete policy all, delete all") {
    auto r = import_text(nis({"add policy name=P", "add policy name=Q", "del policy all"}));
    CHECK(r.store.policies.empty());
    r = import_text(nis({"add policy name=P", "add filter filterlist=L srcaddr=me dstaddr=any",
                         "add filteraction name=A", "delete all"}));
    CHECK(r.codes() == "");
    CHECK(r.store.policies.empty());
    CHECK(r.store.filter_lists.empty());
    CHECK(r.store.filter_actions.empty());
}

TEST_CASE("set store location applies to policies created after it") {
    const auto r = import_text(nis({"add policy name=Before", "set store location=domain domain=corp.example",
                                    "add policy name=After", "set store location=persistent", "add policy name=Later",
                                    "set store location=nowhere", "set batch mode=enable"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1");
    CHECK(r.policy("Before").location == StoreLocation::Local);
    CHECK(r.policy("After").location == StoreLocation::Domain);
    CHECK(r.policy("Later").location == StoreLocation::Persistent);
}

TEST_CASE("exportpolicy, importpolicy, show") {
    const auto r = import_text(nis({"exportpolicy file = ./ipsec.ipsec", "importpolicy file=c:\\p.ipsec",
                                    "show policy name=P level=verbose", "show all"}));
    CHECK(r.codes() == "N-NETSH-EXPORTPOLICY:1 N-NETSH-SHOW-IGNORED:2 W-NETSH-IMPORTPOLICY:1");
    CHECK(r.first("W-NETSH-IMPORTPOLICY").message.find("regedit") != std::string::npos);
}

TEST_CASE("filter lists: add, set (rename keeps rules linked), delete") {
    const auto r = import_text(nis({"add policy name=P", "add filterlist name=L description=\"first\"",
                                    "add filteraction name=A", "add rule name=R policy=P filterlist=L filteraction=A",
                                    "set filterlist name=L newname=L2 description=second", "add filterlist name=M",
                                    "delete filterlist name=M", "delete filterlist name=nothere"}));
    CHECK(r.codes() == "N-NETSH-NOTHING-TO-DELETE:1");
    CHECK(r.list("L2").description == "second");
    CHECK(r.policy("P").rules[1].filter_list == "L2");
    CHECK_FALSE(r.store.find_filter_list("M"));
}

TEST_CASE("a filter list in use by a rule is not deleted [I]") {
    const auto r = import_text(nis({"add policy name=P", "add filterlist name=L", "add filterlist name=Free",
                                    "add filteraction name=A", "add rule name=R policy=P filterlist=L filteraction=A",
                                    "delete filterlist name=L", "delete filterlist all"}));
    CHECK(r.codes() == "E-NETSH-IN-USE:2");
    CHECK(r.store.find_filter_list("L"));
    CHECK_FALSE(r.store.find_filter_list("Free"));
}

TEST_CASE("add filter: defaults, and the list is created when missing") {
    const auto r = import_text(nis({"add filter filterlist=\"New List\" srcaddr=10.1.2.3 dstaddr=me"}));
    CHECK(r.codes() == "");
    const FilterList& l = r.list("new list");
    REQUIRE(l.filters.size() == 1);
    const Filter& f = l.filters[0];
    CHECK(f.source.kind == AddressKind::Specific);
    CHECK(f.source.to_string() == "10.1.2.3");
    CHECK(f.source.prefix_length == 32);
    CHECK(f.destination.kind == AddressKind::Me);
    CHECK(f.protocol == protocol::any);
    CHECK(f.source_port == 0);
    CHECK(f.destination_port == 0);
    CHECK(f.mirrored);
    CHECK(f.where.line == 1);
    CHECK(l.where.line == 1);
}

TEST_CASE("add filter: masks, dotted or prefix, applied to the address") {
    const auto r = import_text(nis({"add filter filterlist=L srcaddr=10.0.0.0 srcmask=255.0.0.0 dstaddr=me",
                                    "add filter filterlist=L srcaddr=2.3.4.5 srcmask=32 dstaddr=192.168.1.0 dstmask=24",
                                    "add filter filterlist=L srcaddr=192.168.0.1 srcmask=255.255.255.0 dstaddr=me"}));
    CHECK(r.codes() == "W-FILTER-HOST-BITS:1");
    const auto& fs = r.list("L").filters;
    REQUIRE(fs.size() == 3);
    CHECK(fs[0].source.to_string() == "10.0.0.0/8");
    CHECK(fs[0].source.mask_given);
    CHECK(fs[1].source.prefix_length == 32);
    CHECK(fs[1].destination.to_string() == "192.168.1.0/24");
    CHECK(fs[2].source.to_string() == "192.168.0.0/24");  // corpus #04
    const auto& w = r.first("W-FILTER-HOST-BITS");
    CHECK(w.where.column == 52);  // the address
    CHECK(w.message.find("192.168.0.0/24") != std::string::npos);
}

TEST_CASE("add filter: a mask on me, any or a range is ignored with a warning; non-contiguous masks are errors") {
    const auto r = import_text(nis({"add filter filterlist=L srcaddr=any srcmask=32 dstaddr=me dstmask=255.255.255.255",
                                    "add filter filterlist=L srcaddr=10.0.0.1-10.0.0.9 srcmask=24 dstaddr=me",
                                    "add filter filterlist=L srcaddr=10.0.0.0 srcmask=255.0.255.0 dstaddr=me"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1 W-NETSH-MASK-IGNORED:3");
    REQUIRE(r.list("L").filters.size() == 2);
    CHECK(r.list("L").filters[1].source.kind == AddressKind::Range);
}

TEST_CASE("add filter: 0.0.0.0 is any with mask 0 and the stored form of me with a host mask") {
    const auto r = import_text(nis({"add filter filterlist=L srcaddr=0.0.0.0 srcmask=0 dstaddr=0.0.0.0"}));
    CHECK(r.codes() == "W-NETSH-ZERO-ADDRESS:1");
    CHECK(r.list("L").filters[0].source.kind == AddressKind::Any);
    CHECK(r.list("L").filters[0].destination.kind == AddressKind::Me);
}

TEST_CASE("add filter: IPv6 and ranges; families must match") {
    const auto r = import_text(nis({"add filter filterlist=L srcaddr=2001:db8::/ignored dstaddr=me",
                                    "add filter filterlist=L srcaddr=2001:db8:: srcmask=32 dstaddr=2001:db8:1::1",
                                    "add filter filterlist=L srcaddr=10.0.0.1 dstaddr=2001:db8::1"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:2");
    REQUIRE(r.list("L").filters.size() == 1);
    CHECK(r.list("L").filters[0].source.to_string() == "2001:db8::/32");
}

TEST_CASE("add filter: a DNS name is kept for later resolution, with its mask") {
    const auto r = import_text(nis({"add filter filterlist=Local srcaddr=me dstaddr=localhost dstmask=255.255.255.0"}));
    CHECK(r.codes() == "W-NETSH-DNS-NAME:1");
    const Filter& f = r.list("Local").filters[0];
    CHECK(f.destination.kind == AddressKind::DnsName);
    CHECK(f.destination.dns_name == "localhost");
    CHECK(f.destination.prefix_length == 24);
    CHECK(f.destination.mask_given);
}

TEST_CASE("add filter: a server keyword forces the other side to me (E13)") {
    const auto r = import_text(nis({"add filter filterlist=Infra srcaddr=DNS dstaddr=any protocol=UDP srcport=53",
                                    "add filter filterlist=Infra srcaddr=ME dstaddr=wins",
                                    "add filter filterlist=Infra srcaddr=DHCP dstaddr=gateway"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1 W-NETSH-SERVER-FORCES-ME:1");
    const auto& fs = r.list("Infra").filters;
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].source.kind == AddressKind::Server);
    CHECK(fs[0].source.server == ServerKind::Dns);
    CHECK(fs[0].destination.kind == AddressKind::Me);
    CHECK(fs[0].source_port == 53);
    CHECK(fs[0].mirrored);
    CHECK(fs[1].destination.server == ServerKind::Wins);
    CHECK(r.first("W-NETSH-SERVER-FORCES-ME").where.column == 68);
}

TEST_CASE("add filter: ports need TCP or UDP (E18)") {
    const auto r = import_text(nis({"add filter filterlist=X srcaddr=me dstaddr=any protocol=ICMP dstport=8",
                                    "add filter filterlist=X srcaddr=me dstaddr=any srcport=80",
                                    "add filter filterlist=X srcaddr=me dstaddr=any protocol=ICMP dstport=0",
                                    "add filter filterlist=X srcaddr=me dstaddr=any protocol=17 srcport=53"}));
    CHECK(r.codes() == "E-NETSH-PORT-PROTOCOL:2");
    CHECK(r.first("E-NETSH-PORT-PROTOCOL").where.column == 89);
    REQUIRE(r.list("X").filters.size() == 2);
    CHECK(r.list("X").filters[1].protocol == protocol::udp);
}

TEST_CASE("a rejected add filter does not create its list") {
    const auto r = import_text(nis({"add filter filterlist=X srcaddr=me dstaddr=nowhere!"}));
    CHECK(r.codes() == "E-NETSH-BAD-VALUE:1");
    CHECK(r.store.filter_lists.empty());
}

TEST_CASE("an identical filter in the same list is skipped with a warning") {
    const auto r = import_text(nis({"add filter filterlist=L desc=a srcaddr=58.35.0.0 srcmask=255.255.0.0 dstaddr=ANY",
                                    "add filter filterlist=L desc=b srcaddr=58.35.0.0 srcmask=16 dstaddr=any",
                                    "add filter filterlist=L srcaddr=58.35.0.0 srcmask=16 dstaddr=any mirrored=no"}));
    CHECK(r.codes() == "W-NETSH-DUPLICATE-FILTER:1");
    CHECK(r.list("L").filters.size() == 2);
    CHECK(r.first("W-NETSH-DUPLICATE-FILTER").message.find("test.bat:1:1") != std::string::npos);
}

TEST_CASE("delete filter removes every filter matching all given fields") {
    const auto r =
        import_text(nis({"add filter filterlist=L srcaddr=192.169.0.100 dstaddr=me protocol=ICMP",
                         "add filter filterlist=L srcaddr=192.169.0.100 dstaddr=me protocol=TCP dstport=80",
                         "add filter filterlist=L srcaddr=192.169.0.100 dstaddr=me protocol=TCP dstport=81 mirrored=no",
                         "add filter filterlist=L srcaddr=10.0.0.0 srcmask=8 dstaddr=me",
                         "delete filter filterlist=L srcaddr=192.169.0.100 dstaddr=Me protocol=ICMP",
                         "delete filter filterlist=L srcaddr=192.169.0.100 dstaddr=me mirrored=yes",
                         "delete filter filterlist=L srcaddr=10.1.2.3 dstaddr=me",
                         "delete filter filterlist=L srcaddr=10.0.0.0 srcmask=16 dstaddr=me",
                         "delete filter filterlist=Nope srcaddr=me dstaddr=any"}));
    CHECK(r.codes() == "N-NETSH-NOTHING-TO-DELETE:2");
    // Left: the one-way filter (mirrored=yes did not match it). The /8 went
    // with `srcaddr=10.1.2.3`: an omitted mask matches any stored mask.
    REQUIRE(r.list("L").filters.size() == 1);
    CHECK(r.list("L").filters[0].destination_port == 81);
}
