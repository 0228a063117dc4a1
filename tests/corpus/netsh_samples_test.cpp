// Pinned outcomes of the netsh samples (../shared/corpus/windows/*.netsh.txt):
// for each, what Windows would end up with after running it, and every
// diagnostic the import gives. Counts: policies in the store (static and
// dynamic), rules of static policies without default response rules,
// filters in all filter lists.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "corpus_sample.hpp"
#include "import/decoded_text.hpp"
#include "import/format_table.hpp"

using namespace winipsec;
using corpus::import_sample;

namespace {

struct Outcome {
    std::size_t policies;
    std::size_t rules;
    std::size_t filters;
    const char* assigned;  // "" = none
    const char* codes;     // corpus::code_summary
};

corpus::SampleImport check(std::string_view file, const Outcome& want) {
    auto s = import_sample(file, "netsh");
    INFO(file);
    const Policy* assigned = s.store.assigned_policy();
    CHECK(s.store.policies.size() == want.policies);
    CHECK(corpus::rule_count(s.store) == want.rules);
    CHECK(corpus::filter_count(s.store) == want.filters);
    CHECK(std::string(assigned ? assigned->name : "") == want.assigned);
    CHECK(corpus::code_summary(s.diagnostics) == want.codes);
    return s;
}

const Rule& rule_named(const Policy& p, std::string_view name) {
    for (const auto& r : p.rules)
        if (r.name == name) return r;
    FAIL("no rule ", std::string(name));
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("01 GBK names, spaced equals, capitalised tags: an allow-list bound to block") {
    const auto s = check("01-kjyw-apu-rdp-whitelist-gbk-spaced-equals.netsh.txt", {1, 1, 2, "APU安全策略", ""});
    CHECK(s.encoding == "GBK");
    const FilterList& l = *s.store.find_filter_list("可访问的终端列表");
    CHECK(l.filters[0].source.to_string() == "203.86.32.248");
    CHECK(l.filters[0].destination_port == 3389);
    CHECK(l.filters[1].source.to_string() == "203.86.31.0/24");
    CHECK(l.filters[1].protocol == protocol::any);
    CHECK(s.store.find_filter_action("stop")->action == ActionKind::Block);
}

TEST_CASE("02 rules name lists that add filter created; the second rule reuses a name and is rejected") {
    const auto s = check("02-kjyw-default-policy-mismatched-filterlists.netsh.txt",
                         {1, 1, 2, "默认策略名称", "E-NETSH-DUPLICATE-NAME:1"});
    CHECK(s.store.filter_lists.size() == 4);
    CHECK(s.store.find_filter_list("访问列表")->filters.empty());
    CHECK(s.store.assigned_policy()->rules[1].filter_list == "访问列表1");
}

TEST_CASE("03 trailing spaces; the policy is never assigned") {
    const auto s = check("03-kjyw-safedog-allowlist-trailing-spaces.netsh.txt", {1, 4, 8, "", ""});
    const Filter& all = s.store.find_filter_list("AllAccess")->filters.at(0);
    CHECK(all.source.kind == AddressKind::Me);
    CHECK(all.destination.kind == AddressKind::Any);
    CHECK(all.mirrored);
}

TEST_CASE("04 del all, quoted descriptions with curly apostrophes, a host address with a /24 mask") {
    const auto s = check("04-kjyw-2003-del-all-descriptions-curly-quotes.netsh.txt",
                         {1, 4, 12, "IPSec", "N-NETSH-COMMENTED-OUT:3 W-FILTER-HOST-BITS:1"});
    const FilterList& allowip = *s.store.find_filter_list("allowip");
    CHECK(allowip.description == "allow the ip access to server");
    CHECK(allowip.filters[1].source.to_string() == "192.168.0.0/24");
    CHECK(s.store.find_filter_list("allowport")->filters[1].description == "allow all to access the server’s web");
}

TEST_CASE("05 a free-text word after the tags becomes the description") {
    const auto s = check("05-kjyw-base-config-trailing-untagged-comments.netsh.txt",
                         {1, 2, 15, "ipsec_base_config",
                          "N-NETSH-COMMENTED-OUT:1 N-NETSH-NOTHING-TO-DELETE:1 W-NETSH-MASK-IGNORED:1 "
                          "W-NETSH-UNTAGGED-VALUE:15"});
    const FilterList& l = *s.store.find_filter_list("permitlist");
    CHECK(l.filters[0].description == "对外服务端口");
    CHECK(l.filters[2].source.to_string() == "2.3.4.5");
    CHECK(l.filters[4].source_port == 123);
    CHECK_FALSE(s.store.assigned_policy()->default_response_rule()->active);
}

TEST_CASE("06 caret continuations; three rules name the action 'Permit' that was created as 'Perm'") {
    const auto s = check("06-kjyw-haishion-caret-continuation.netsh.txt",
                         {1, 1, 9, "", "E-NETSH-NO-SUCH-FILTERACTION:3 N-NETSH-NOTHING-TO-DELETE:1"});
    CHECK(s.diagnostics.all()[1].message.find("did you mean 'Perm'") != std::string::npos);
    CHECK(s.diagnostics.all()[1].where.line == 32);
}

TEST_CASE("07 one-way outbound drops") {
    const auto s = check("07-kjyw-2003-outbound-drop-mirrored-no.netsh.txt", {1, 1, 22, "drop", ""});
    const auto& fs = s.store.find_filter_list("drop_port")->filters;
    CHECK_FALSE(fs[0].mirrored);
    CHECK(fs[17].mirrored);  // 192.168.1.2 -> me:3389, mirrored by default
    CHECK(fs[21].protocol == protocol::udp);
}

TEST_CASE("08 netsh.exe, qmsec= abbreviation, Kerberos and PSK rules, default response rule off") {
    const auto s =
        check("08-sec505-iis-server-policy-qmsec-kerberos-psk.netsh.txt", {1, 3, 4, "", "N-NETSH-COMMENTED-OUT:1"});
    const FilterAction& ah = *s.store.find_filter_action("AH_Only");
    CHECK(ah.inbound_passthrough);
    CHECK(ah.quick_mode_pfs);
    REQUIRE(ah.offers.size() == 2);
    CHECK(ah.offers[1].ah == Integrity::Sha1);
    CHECK(ah.offers[1].lifetime_seconds == 1000);
    const Policy& p = *s.store.find_policy("IIS_Server_Policy");
    CHECK_FALSE(p.default_response_rule()->active);
    CHECK(rule_named(p, "AH for LAN").authentication.at(0).kind == AuthKind::PresharedKey);
    CHECK(rule_named(p, "Block All").authentication.at(0).kind == AuthKind::Kerberos);
    CHECK_FALSE(rule_named(p, "Block All").authentication_defaulted);
}

TEST_CASE("09 every command depends on variables the script never sets: nothing is applied") {
    check("09-spylog-ipsecspylog-batch-variables.netsh.txt",
          {0, 0, 0, "", "E-BATCH-UNDEFINED-VARIABLE:31 N-NETSH-SHOW-IGNORED:1 W-NETSH-UNRESOLVED-VARIABLE:13"});
}

TEST_CASE("10 GBK, caret + TAB, export/import, and the policy deleted by the `if errorlevel` branch") {
    // The batch layer runs the first branch of every `if` (N-BATCH-CONDITION),
    // so the final `delete policy` runs and only the list and actions remain.
    check("10-binibini-wannacry-seccpp-caret-tab-gbk.netsh.txt",
          {0, 0, 7, "",
           "N-BATCH-CONDITION:1 N-BATCH-CONDITIONAL-JUMP:2 N-NETSH-COMMENTED-OUT:1 N-NETSH-EXPORTPOLICY:1 "
           "N-NETSH-NOTHING-TO-DELETE:2 W-NETSH-IMPORTPOLICY:1"});
}

TEST_CASE("11 && echo chains; the `if errorlevel` branch deletes the policy as in #10") {
    const auto s = check("11-binibini-wannacry-seccpp-chained-echo-gbk.netsh.txt",
                         {0, 0, 7, "",
                          "N-BATCH-CONDITION:1 N-NETSH-COMMENTED-OUT:1 N-NETSH-NOT-A-COMMAND:1 "
                          "N-NETSH-NOTHING-TO-DELETE:2"});
    const auto& fs = s.store.find_filter_list("wanna")->filters;
    CHECK(fs[4].destination_port == 445);
    CHECK(fs[4].description == "ban");
}

TEST_CASE("12 a lost line break glues two commands; both are recovered") {
    const auto s = check("12-acecoronnet-dangerous-ports-caret-missing-newline-gbk.netsh.txt",
                         {1, 1, 17, "关闭危险端口", "W-NETSH-MERGED-COMMANDS:1"});
    const FilterList& l = *s.store.find_filter_list("危险端口关闭");
    CHECK(l.where.line == 7);  // the command starts at `netsh ipsec static ^`
    CHECK(l.filters[0].destination_port == 42);
    CHECK(l.filters[0].protocol == protocol::tcp);
    CHECK(l.filters[16].destination_port == 1900);
}

TEST_CASE("13 positional names; assigned, then un-assigned") {
    const auto s = check("13-evulpes-positional-untagged-names.netsh.txt", {1, 1, 1, "", ""});
    CHECK(s.store.find_filter_action("ExampleFilterAction")->action == ActionKind::Block);
}

TEST_CASE("14 for-loop filters need %%i; filter= is the filter list; the policy is deleted at the end") {
    const auto s = check("14-oklokl-china-block-for-loop-filter-abbrev.netsh.txt",
                         {0, 0, 1, "",
                          "E-BATCH-UNDEFINED-VARIABLE:1 N-BATCH-LOOP-ONCE:1 N-NETSH-COMMENTED-OUT:6 "
                          "W-NETSH-AMBIGUOUS-TAG:2 W-NETSH-DNS-NAME:1 W-NETSH-UNRESOLVED-VARIABLE:1 "
                          "W-NETSH-UNTAGGED-VALUE:1"});
    CHECK(s.store.find_filter_list("China_block")->filters.empty());
    CHECK(s.store.find_filter_list("Local")->filters.at(0).destination.dns_name == "localhost");
}

TEST_CASE("15 placeholder filters added then deleted leave empty lists") {
    const auto s = check("15-daemonservice-icmp-placeholder-filters.netsh.txt",
                         {1, 2, 0, "DaemonService", "N-NETSH-COMMENTED-OUT:1"});
    CHECK(s.store.filter_lists.size() == 2);
}

TEST_CASE("16 netsh ipsec dynamic: classified, and the closing delete all empties it") {
    check("16-sec505-netsh-ipsec-dynamic-demo.netsh.txt",
          {0, 0, 0, "", "N-NETSH-DYNAMIC:1 N-NETSH-DYNAMIC-DELETED:1 W-NETSH-DYNAMIC-NOT-IMPORTED:1"});
}

TEST_CASE("17 one filter over three lines with a stray backtick") {
    const auto s = check("17-mgreen27-multiline-no-continuation.netsh.txt",
                         {0, 0, 1, "", "W-NETSH-STRAY-BACKTICK:1 W-NETSH-WRAPPED-LINE:2"});
    const Filter& f = s.store.find_filter_list("Test Filter List")->filters.at(0);
    CHECK(f.source.kind == AddressKind::Me);
    CHECK(f.source_port == 3389);
    CHECK(f.protocol == protocol::tcp);
    CHECK(f.description == "quick and dirty RDP filter");
}

TEST_CASE("18 netsh -f script: pushd contexts, dynamic config, DNS server keyword, a host-name placeholder") {
    const auto s = check("18-giarlo-restrict-to-wsus-netsh-f-script.netsh.txt",
                         {1, 3, 5, "Restrict to WSUS",
                          "N-NETSH-COMMENTED-OUT:2 N-NETSH-DYNAMIC:1 W-NETSH-DNS-NAME:2 W-NETSH-DYNAMIC-NOT-IMPORTED:2 "
                          "W-NETSH-PLACEHOLDER:2"});
    CHECK(s.store.no_default_exempt == 3);
    const auto& dns = s.store.find_filter_list("DNS resolution")->filters;
    CHECK(dns[0].destination.kind == AddressKind::Server);
    CHECK(dns[0].destination.server == ServerKind::Dns);
    CHECK(s.store.find_filter_list("HTTP")->filters[0].destination.kind == AddressKind::DnsName);
    CHECK_FALSE(s.store.assigned_policy()->default_response_rule()->active);
}

TEST_CASE("19 1875-line netsh -f script imports fast, duplicates skipped") {
    const auto start = std::chrono::steady_clock::now();
    const auto s = check("19-oklokl-china-block-netsh-f-script-1875-lines.netsh.txt",
                         {1, 2, 1824, "China_IP_block_list",
                          "N-NETSH-COMMENTED-OUT:3 W-FILTER-HOST-BITS:3 W-NETSH-AMBIGUOUS-TAG:2 W-NETSH-DNS-NAME:1 "
                          "W-NETSH-DUPLICATE-FILTER:8 W-NETSH-UNTAGGED-VALUE:1"});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed < std::chrono::milliseconds(500));
    const Policy& p = *s.store.assigned_policy();
    CHECK(p.description == "(주)스마일서브-중국IP리스트-차단정책");
    CHECK(rule_named(p, "3").filter_list == "China_block");
    CHECK(rule_named(p, "3").filter_action == "Block");
    CHECK(s.store.find_filter_list("China_block")->filters.size() == 1823);
}

TEST_CASE("90 Liquid tags around the commands, quoted numbers, mmsec=, a positional list name") {
    const auto s = check("90-unattrib-crusader21-ad-trust-jekyll-liquid-wrapped.netsh.txt", {1, 1, 3, "", ""});
    const Policy& p = *s.store.find_policy("AD Trusts");
    CHECK(p.main_mode.lifetime_seconds == 600);
    CHECK(p.polling_interval_minutes == 5);
    CHECK(p.main_mode.offers.size() == 1);
    const FilterAction& a = *s.store.find_filter_action("ESP-3DES-SHA1-0-3600");
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].lifetime_seconds == 3600);
    const Rule& r = rule_named(p, "My Forest - Their Forest");
    REQUIRE(r.authentication.size() == 1);
    CHECK(r.authentication[0].preshared_key.reveal() == "my complex password");
}

TEST_CASE("91 the policy exists only as echo lines run by netsh -f") {
    const auto s =
        check("91-unattrib-mrdtomcat-echo-generated-netsh-f-script.netsh.txt",
              {1, 11, 18, "mrdTomcat", "N-NETSH-COMMENTED-OUT:1 N-NETSH-SCRIPT-FILE:1 W-NETSH-DUPLICATE-FILTER:1"});
    CHECK(s.store.find_filter_list("deny_all")->filters.at(0).source.kind == AddressKind::Any);
}

TEST_CASE("92 `filterlist=block any`: the untagged any is the source; later variants repeat names") {
    const auto s = check("92-unattrib-cynric-baseline-untagged-any-spaced-equals.netsh.txt",
                         {1, 1, 8, "deny445",
                          "E-NETSH-DUPLICATE-NAME:12 W-NETSH-DUPLICATE-FILTER:20 W-NETSH-MASK-IGNORED:28 "
                          "W-NETSH-UNTAGGED-VALUE:28"});
    const auto& fs = s.store.find_filter_list("block")->filters;
    CHECK(fs[0].source.kind == AddressKind::Any);
    CHECK(fs[0].destination_port == 21);
    CHECK(fs[7].destination_port == 455);  // the WIN2012 variant's typo
}

TEST_CASE("93 commands built from call :label parameters") {
    const auto s =
        check("93-unattrib-xcanwin-supplicant-call-subroutine-params.netsh.txt", {1, 4, 4, "ProtectSupplicant", ""});
    const Filter& f = s.store.find_filter_list("AllowAccessFL4999")->filters.at(0);
    CHECK(f.source.to_string() == "172.16.1.180");
    CHECK(f.destination_port == 4999);
    CHECK(s.store.find_filter_action("NoAccessFA3848")->action == ActionKind::Block);
}

TEST_CASE("94 OCR'd book: prompts, commands wrapped over lines, a placeholder PSK, a consec rule") {
    const auto s = check("94-unattrib-btfm-ocr-pdf-wrapped-commands.netsh.txt",
                         {1, 2, 3, "MyIPsecPolicy",
                          "E-NETSH-CONSEC-UNSUPPORTED:1 E-NETSH-UNKNOWN-TAG:1 N-NETSH-SHOW-IGNORED:1 "
                          "W-NETSH-PLACEHOLDER:2 W-NETSH-UNTERMINATED-QUOTE:1 W-NETSH-WRAPPED-LINE:19"});
    const Rule& r = rule_named(*s.store.assigned_policy(), "MyIPsecRule");
    CHECK(r.authentication.at(0).preshared_key.reveal() == "<PASSWORD>");
    CHECK(s.store.find_filter_action("MyIPsecAction")->offers_defaulted);
}

TEST_CASE("95 shell variables and typos: every typo is an error, nothing is guessed") {
    const auto s = check("95-unattrib-btfm-derived-shell-vars-typos.netsh.txt",
                         {0, 0, 2, "",
                          "E-NETSH-CONSEC-UNSUPPORTED:1 E-NETSH-NO-SUCH-POLICY:2 "
                          "E-NETSH-UNKNOWN-COMMAND:1 E-NETSH-UNKNOWN-TAG:4 N-NETSH-NOT-A-COMMAND:5 "
                          "W-NETSH-SHELL-VARIABLE:10"});
    CHECK(s.store.find_filter_action("$Action"));
    CHECK(s.store.find_filter_list("WebFilter")->filters.size() == 2);  // dstadd= abbreviates dstaddr
}

TEST_CASE("--format auto picks netsh for every netsh sample, and not for ipseccmd, ipsecpol or .reg ones") {
    for (const auto& entry : std::filesystem::directory_iterator(*corpus::corpus_dir())) {
        const std::string name = entry.path().filename().string();
        const bool netsh = name.ends_with(".netsh.txt");
        const bool other =
            name.ends_with(".ipseccmd.txt") || name.ends_with(".ipsecpol.txt") || name.ends_with(".reg.txt");
        if (!netsh && !other) continue;  // consec and command output: netsh only explains it cannot import them
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto text = decode_bytes(bytes, name);
        REQUIRE(text);
        const FormatEntry* format = detect_format(*text);
        INFO(name);
        CHECK((format && format->name == "netsh") == netsh);
    }
}
