// What export/netsh_script_writer writes, line by line, and how it reports
// what netsh cannot express: each such case is warned, and the round trip
// shows the difference (so the comparison itself is tested too).
#include <doctest/doctest.h>

#include <algorithm>

#include "export/netsh_script_writer.hpp"
#include "roundtrip_support.hpp"

using namespace winipsec;
using roundtrip::import_text;
using roundtrip::round_trip;

namespace {

constexpr const char* small_policy = R"(netsh ipsec static add policy name="Web" description="web server"
netsh ipsec static add filterlist name="HTTP" description="inbound web"
netsh ipsec static add filter filterlist="HTTP" srcaddr=10.1.0.0 srcmask=16 dstaddr=me protocol=TCP dstport=80
netsh ipsec static add filteraction name="Require" action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s"
netsh ipsec static add rule name="Secure HTTP" policy="Web" filterlist="HTTP" filteraction="Require" psk="s3cret" kerberos=yes
netsh ipsec static set policy name="Web" assign=yes
)";

PolicyStore small_store() {
    auto imported = import_text(small_policy, "netsh");
    REQUIRE_FALSE(imported.diagnostics.has_errors());
    return std::move(imported.store);
}

std::string write(const PolicyStore& store, Diagnostics& d, bool show_secrets = false) {
    NetshScriptOptions o;
    o.show_secrets = show_secrets;
    o.sources = {"web.cmd"};
    o.generator = "winipsec 0.1.0";
    return write_netsh_script(store, o, d);
}

bool has_line(const std::string& script, const std::string& line) {
    return script.find(line + "\r\n") != std::string::npos;
}

Filter filter(FilterAddress src, FilterAddress dst, std::uint8_t proto = 0, std::uint16_t sport = 0,
              std::uint16_t dport = 0) {
    Filter f;
    f.source = src;
    f.destination = dst;
    f.protocol = proto;
    f.source_port = sport;
    f.destination_port = dport;
    return f;
}

}  // namespace

TEST_CASE("a small policy, byte for byte: header, objects before their users, assignment last, CRLF") {
    Diagnostics d;
    const std::string script = write(small_store(), d);
    const std::string expected =
        "rem Windows IPsec policy written as netsh commands by winipsec 0.1.0\r\n"
        "rem from:\r\n"
        "rem   web.cmd\r\n"
        "rem\r\n"
        "rem Review it, then run it in cmd.exe as Administrator on the Windows machine (saved as a\r\n"
        "rem .cmd file). It only adds objects, so none of its names may exist in the target store\r\n"
        "rem yet. The policy is assigned by the last line, once all of its rules exist.\r\n"
        "rem Pre-shared keys are written as \"<REDACTED>\": put the real keys in before running it.\r\n"
        "\r\n"
        "rem ---- filter lists and their filters ----\r\n"
        "netsh ipsec static add filterlist name=\"HTTP\" description=\"inbound web\"\r\n"
        "netsh ipsec static add filter filterlist=\"HTTP\" srcaddr=10.1.0.0 srcmask=255.255.0.0 dstaddr=me "
        "protocol=TCP srcport=0 dstport=80 mirrored=yes\r\n"
        "\r\n"
        "rem ---- filter actions ----\r\n"
        "netsh ipsec static add filteraction name=\"Require\" action=negotiate inpass=no soft=no qmpfs=no "
        "qmsecmethods=\"ESP[3DES,SHA1]:100000k/3600s\"\r\n"
        "\r\n"
        "rem ---- policy 'Web' ----\r\n"
        "netsh ipsec static add policy name=\"Web\" description=\"web server\" mmpfs=no qmpermm=0 mmlifetime=480 "
        "activatedefaultrule=yes pollinginterval=180 mmsecmethods=\"3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1\"\r\n"
        "\r\n"
        "rem ---- rules of policy 'Web' ----\r\n"
        "netsh ipsec static add rule name=\"Secure HTTP\" policy=\"Web\" filterlist=\"HTTP\" filteraction=\"Require\" "
        "conntype=all activate=yes psk=\"<REDACTED>\" kerberos=yes\r\n"
        "\r\n"
        "rem ---- assignment: from here on Windows enforces the policy ----\r\n"
        "netsh ipsec static set policy name=\"Web\" assign=yes\r\n";
    CHECK(script == expected);
    CHECK(d.count("W-EXPORT-PSK-REDACTED") == 1);
    CHECK(d.all().size() == 1);
}

TEST_CASE("pre-shared keys: written only with show_secrets; no diagnostic ever shows the key") {
    const PolicyStore store = small_store();
    Diagnostics redacted_d, shown_d;
    const std::string redacted = write(store, redacted_d, false);
    const std::string shown = write(store, shown_d, true);
    CHECK(redacted.find("s3cret") == std::string::npos);
    CHECK(redacted.find("psk=\"<REDACTED>\"") != std::string::npos);
    CHECK(shown.find("psk=\"s3cret\"") != std::string::npos);
    CHECK(shown.find("keep it as secret as the keys") != std::string::npos);
    CHECK(shown_d.count("W-EXPORT-PSK-REDACTED") == 0);
    for (const auto* d : {&redacted_d, &shown_d})
        for (const auto& x : d->all()) CHECK(x.message.find("s3cret") == std::string::npos);

    // Read back unedited, the redacted script gives the placeholder as the
    // key (fail closed: IKE with it negotiates nothing) and the importer
    // points at it; everything else is the same.
    const auto rt = round_trip(store, false);
    CHECK(rt.read.count("W-NETSH-PLACEHOLDER") == 1);
    REQUIRE(rt.store_differences.size() == 1);
    CHECK(rt.store_differences[0].find("authentication: [psk=s3cret kerberos]") != std::string::npos);
    CHECK(round_trip(store, true).same());
}

TEST_CASE("a key with % signs: doubled for cmd.exe; the warning about them does not quote the key") {
    PolicyStore store = small_store();
    store.policies[0].rules[1].authentication[0].preshared_key = Secret("a%SECRET%b");
    Diagnostics d;
    const std::string script = write(store, d, true);
    CHECK(script.find("psk=\"a%%SECRET%%b\"") != std::string::npos);
    CHECK(d.count("W-EXPORT-PERCENT") == 1);
    for (const auto& x : d.all()) CHECK(x.message.find("SECRET") == std::string::npos);
}

TEST_CASE("names netsh cannot carry, or that would clash, are renamed consistently and warned") {
    PolicyStore store = small_store();
    store.filter_lists[0].name = "say \"hi\"";
    store.policies[0].rules[1].filter_list = "SAY \"HI\"";  // Windows compares names without case
    FilterList twin;
    twin.name = "say 'HI'";  // the carried name of the first one, in other case
    store.filter_lists.push_back(twin);
    FilterAction unnamed;
    unnamed.action = ActionKind::Block;
    store.filter_actions.push_back(unnamed);

    const auto rt = round_trip(store);
    CHECK(rt.written.count("W-EXPORT-RENAMED") == 3);
    CHECK(rt.script.find("netsh ipsec static add filterlist name=\"say 'hi'\" description") != std::string::npos);
    CHECK(has_line(rt.script, "netsh ipsec static add filterlist name=\"say 'HI' (2)\""));
    CHECK(has_line(rt.script, "netsh ipsec static add filteraction name=\"unnamed filter action 1\" action=block"));
    CHECK(rt.script.find("filterlist=\"say 'hi'\" filteraction=\"Require\"") != std::string::npos);
    CHECK_FALSE(rt.read.has_errors());
    CHECK_FALSE(rt.same());  // names differ, as warned
}

TEST_CASE("offers netsh cannot express (AES, SHA-2, no DH group) are left out: rem line and warning") {
    PolicyStore store = small_store();
    store.policies[0].main_mode.offers.insert(store.policies[0].main_mode.offers.begin(),
                                              MainModeOffer{Cipher::Aes256, Integrity::Sha256, DhGroup::Modp2048});
    QuickModeOffer aes;
    aes.esp = EspTransform{Cipher::Aes128, Integrity::Sha1};
    store.filter_actions[0].offers.push_back(aes);

    const auto rt = round_trip(store);
    CHECK(rt.written.count("W-EXPORT-NOT-WRITTEN") == 2);
    CHECK(has_line(rt.script,
                   "rem NOT WRITTEN: main mode offer AES256-SHA256-3 of policy 'Web': main mode offer "
                   "AES256-SHA256: netsh ipsec knows DES/3DES and MD5/SHA1 only"));
    CHECK(rt.script.find("rem 2 things of the store could not be written: see the NOT WRITTEN lines.") !=
          std::string::npos);
    CHECK(rt.script.find("qmsecmethods=\"ESP[3DES,SHA1]:100000k/3600s\"") != std::string::npos);
    CHECK(rt.store_differences.size() == 2);
}

TEST_CASE("a rule netsh cannot recreate is left out, never written with another meaning") {
    PolicyStore store = small_store();
    Rule& rule = store.policies[0].rules[1];
    SUBCASE("an IPv6 tunnel endpoint (netsh tunnels are IPv4): not a transport rule instead") {
        rule.tunnel_endpoint = FilterAddress::specific(*IpAddress::parse("2001:db8::1"), 128);
    }
    SUBCASE("a filter list that does not exist: netsh would refuse the rule; Windows skips it") {
        rule.filter_list = "missing";
    }
    const auto rt = round_trip(store);
    CHECK(rt.written.count("W-EXPORT-NOT-WRITTEN") == 1);
    CHECK(rt.script.find("add rule") == std::string::npos);
    CHECK(rt.script.find("rem NOT WRITTEN: rule 'Secure HTTP' of policy 'Web'") != std::string::npos);
}

TEST_CASE("filters: masks, ranges, IPv6, DNS names, server keywords, protocols, duplicates, impossible ports") {
    PolicyStore store = small_store();
    auto& filters = store.filter_lists[0].filters;
    filters.push_back(
        filter(FilterAddress::me(), FilterAddress::specific(*IpAddress::parse("192.0.2.0"), 24), protocol::udp, 0, 53));
    FilterAddress range = FilterAddress::of_kind(AddressKind::Range);
    range.address = *IpAddress::parse("10.0.0.1");
    range.range_last = *IpAddress::parse("10.0.0.9");
    filters.push_back(filter(range, FilterAddress::me(), protocol::icmp));
    filters.push_back(filter(FilterAddress::me(), FilterAddress::specific(*IpAddress::parse("2001:db8::"), 32), 50));
    FilterAddress name = FilterAddress::of_kind(AddressKind::DnsName);
    name.dns_name = "wsus.example.org";
    filters.push_back(filter(FilterAddress::me(), name, protocol::tcp, 0, 443));
    FilterAddress dns = FilterAddress::of_kind(AddressKind::Server);
    dns.server = ServerKind::Dns;
    filters.push_back(filter(dns, FilterAddress::me(), protocol::udp, 53, 0));
    filters.push_back(filters[1]);                                                               // a duplicate
    filters.push_back(filter(FilterAddress::me(), FilterAddress::any(), protocol::any, 0, 80));  // port, any protocol
    filters.back().mirrored = false;

    const auto rt = round_trip(store);
    const std::string head = "netsh ipsec static add filter filterlist=\"HTTP\" ";
    CHECK(has_line(rt.script, head + "srcaddr=me dstaddr=192.0.2.0 dstmask=255.255.255.0 protocol=UDP srcport=0 "
                                     "dstport=53 mirrored=yes"));
    CHECK(has_line(rt.script, head + "srcaddr=10.0.0.1-10.0.0.9 dstaddr=me protocol=ICMP mirrored=yes"));
    CHECK(has_line(rt.script, head + "srcaddr=me dstaddr=2001:db8:: dstmask=32 protocol=50 mirrored=yes"));
    CHECK(has_line(rt.script, head + "srcaddr=me dstaddr=wsus.example.org protocol=TCP srcport=0 dstport=443 "
                                     "mirrored=yes"));
    CHECK(has_line(rt.script, head + "srcaddr=DNS dstaddr=me protocol=UDP srcport=53 dstport=0 mirrored=yes"));
    CHECK(rt.written.count("N-EXPORT-DUPLICATE-FILTER") == 1);
    CHECK(rt.written.count("W-EXPORT-NOT-WRITTEN") == 1);  // the port with protocol ANY
    CHECK(rt.script.find("it gives a port with protocol ANY; netsh takes ports with TCP and UDP only") !=
          std::string::npos);
    // Only the filter that was not written differs (duplicates count once).
    REQUIRE(rt.store_differences.size() == 1);
    CHECK(rt.store_differences[0] == "filter list 'HTTP' filter count: 7 became 6");
}

TEST_CASE("policy settings: master PFS, lifetimes in whole minutes, no default response rule, domain store") {
    PolicyStore store = small_store();
    Policy& p = store.policies[0];
    p.main_mode.master_pfs = true;
    p.main_mode.quick_modes_per_main_mode = 1;
    p.main_mode.lifetime_seconds = 3601;
    p.polling_interval_minutes = 0;
    p.location = StoreLocation::Domain;
    std::erase_if(p.rules, [](const Rule& r) { return r.default_response; });

    const auto rt = round_trip(store);
    CHECK(rt.script.find("mmpfs=yes qmpermm=1 mmlifetime=60 activatedefaultrule=no pollinginterval=0") !=
          std::string::npos);
    CHECK(rt.written.count("W-EXPORT-CHANGED") == 1);  // 3601 s
    CHECK(rt.written.count("W-EXPORT-STORE-LOCATION") == 1);
    CHECK(rt.written.count("N-EXPORT-NO-DEFAULT-RULE") == 1);
    REQUIRE(rt.store_differences.size() == 1);
    CHECK(rt.store_differences[0] == "policy 'Web' main mode lifetime: 3601 became 3600");
}

TEST_CASE("the default response rule: switched with activatedefaultrule, changed with set defaultrule") {
    auto imported = import_text(R"(netsh ipsec static add policy name="R" activatedefaultrule=yes
netsh ipsec static set defaultrule policy="R" qmpfs=yes qmsecmethods="AH[SHA1]" rootca="CN=\'Root\' CA certmap:yes excludecaname:no" psk="k"
)",
                                "netsh");
    REQUIRE_FALSE(imported.diagnostics.has_errors());
    const auto rt = round_trip(imported.store);
    CHECK(has_line(rt.script,
                   "netsh ipsec static set defaultrule policy=\"R\" qmpfs=yes qmsecmethods=\"AH[SHA1]\" "
                   "rootca=\"CN=\\'Root\\' CA certmap:yes excludecaname:no\" psk=\"k\""));
    CHECK(rt.same());
}

TEST_CASE("two assigned policies (a domain one overriding a local one): only the enforced one is assigned") {
    auto imported = import_text(R"(netsh ipsec static add policy name="Local" assign=yes
netsh ipsec static set store location=domain
netsh ipsec static add policy name="Domain" assign=yes
)",
                                "netsh");
    PolicyStore& store = imported.store;
    store.policies[0].assigned = true;  // the netsh importer unassigns; a registry store can hold both
    const auto rt = round_trip(store);
    CHECK(has_line(rt.script, "netsh ipsec static set policy name=\"Domain\" assign=yes"));
    CHECK(rt.script.find("name=\"Local\" assign=yes") == std::string::npos);
    CHECK(rt.written.count("W-EXPORT-CHANGED") == 1);
    CHECK(rt.written.count("W-EXPORT-STORE-LOCATION") == 1);
    // The same rules; only the plan's note that the domain policy overrides
    // the local one is gone, since the local one is no longer assigned.
    REQUIRE(rt.plan_differences.size() == 2);  // with and without dynamic policy
    for (const auto& difference : rt.plan_differences)
        CHECK(difference.ends_with(
            "diagnostics: N-PLAN-DOMAIN-OVERRIDES:1 W-PLAN-DEFAULT-RESPONSE:1 became W-PLAN-DEFAULT-RESPONSE:1"));
}

TEST_CASE("dynamic rules: permit and block as netsh ipsec dynamic lines; negotiating ones left out") {
    auto imported = import_text(R"(ipseccmd -f [0+*:445:TCP] (0+10.0.0.1)
ipseccmd -f 0+10.9.9.9 -n ESP[3DES,SHA]
)");
    REQUIRE_FALSE(imported.diagnostics.has_errors());
    imported.store.no_default_exempt = 1;
    const auto rt = round_trip(imported.store);
    CHECK(has_line(rt.script, "netsh ipsec dynamic set config property=ipsecexempt value=1"));
    CHECK(has_line(rt.script,
                   "netsh ipsec dynamic add rule srcaddr=me dstaddr=any mmpolicy=\"winipsec dynamic main "
                   "mode\" protocol=TCP srcport=0 dstport=445 mirrored=yes conntype=all "
                   "actioninbound=block actionoutbound=block"));
    CHECK(rt.written.count("W-EXPORT-NOT-WRITTEN") == 1);
    CHECK(rt.script.find("it negotiates; winipsec writes dynamic rules that permit or block only") !=
          std::string::npos);
    // The static part is untouched; the dynamic plan loses the negotiate rule, as warned.
    CHECK(rt.store_differences.empty());
    CHECK_FALSE(rt.plan_differences.empty());
}

TEST_CASE("names outside ASCII switch cmd.exe to UTF-8; ASCII scripts leave the code page alone") {
    Diagnostics d;
    CHECK(write(small_store(), d).find("chcp") == std::string::npos);
    PolicyStore store = small_store();
    store.policies[0].description = "\xE5\x85\x81\xE8\xAE\xB8";
    const std::string script = write(store, d);
    CHECK(script.find("\r\nchcp 65001 >nul\r\n") != std::string::npos);
    CHECK(script.find("chcp") < script.find("\r\nnetsh "));
}

TEST_CASE("every line ends in CRLF and an empty store gives a header and a warning") {
    Diagnostics d;
    const std::string script = write(PolicyStore{}, d);
    CHECK(d.count("W-EXPORT-EMPTY") == 1);
    CHECK(script.find("\r\nnetsh ") == std::string::npos);
    for (std::size_t i = 0; i < script.size(); ++i)
        if (script[i] == '\n') CHECK((i > 0 && script[i - 1] == '\r'));
}

TEST_CASE("the comparison sees a changed port, a lost rule and a changed verdict (test of the test)") {
    const PolicyStore a = small_store();
    PolicyStore b = small_store();
    b.filter_lists[0].filters[0].destination_port = 8080;
    CHECK(roundtrip::compare_stores(a, b).size() == 1);
    b.filter_actions[0].action = ActionKind::Block;
    b.policies[0].rules.pop_back();
    const auto differences = roundtrip::compare_stores(a, b);
    CHECK(std::find(differences.begin(), differences.end(), "policy 'Web' rule count: 1 became 0") !=
          differences.end());
    CHECK(std::find(differences.begin(), differences.end(), "filter action 'Require' action: negotiate became block") !=
          differences.end());
}
