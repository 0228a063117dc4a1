// Whole scripts: heads, contexts, the damage real scripts carry, notes for
// what is not imported, and recognise().
#include <doctest/doctest.h>

#include "import/decoded_text.hpp"
#include "plugins/netsh/netsh_importer.hpp"
#include "plugins/netsh/tests/netsh_test_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh::test;

namespace {
int score(std::string_view text) {
    return netsh_importer().recognise(*decode_bytes(text, "x"));
}
}  // namespace

TEST_CASE("the importer's name") {
    CHECK(netsh_importer().name() == "netsh");
}

TEST_CASE("every head spelling reaches the same store") {
    const auto r = import_text(
        "netsh ipsec static add policy name=A\n"
        "Netsh IPsec static add filterlist name=L\n"
        "netsh.exe  ipsec  static add filteraction name=F action=block\n"
        "C:\\Windows\\system32\\netsh.exe ipsec static add filter filterlist=L srcaddr=me dstaddr=any\n"
        "netsh ipsec static ^\n\tadd rule name=R policy=A filterlist=L filteraction=F\n");
    CHECK(r.codes() == "");
    REQUIRE(r.policy("A").rules.size() == 2);
    CHECK(r.policy("A").rules[1].where.line == 5);
    CHECK(r.list("L").filters.size() == 1);
}

TEST_CASE("a netsh -f script: context-mode lines, pushd/popd/exit, # comments") {
    const auto r = import_text(
        "# lockdown\npushd ipsec static\nset store location=local\ndelete all\n"
        "add policy name=\"Restrict\" activatedefaultrule=NO\npopd\n"
        "ipsec static add filteraction name=B action=BLOCK\n"
        "add filteraction name=C action=block\n"  // no context any more
        "pushd ipsec static\nset policy name=Restrict assign=YES\nexit\n"
        "add filteraction name=D action=block\n");
    // `exit` ends the script (cmd.exe and netsh alike): the last line is never read.
    CHECK(r.codes() == "N-NETSH-NOT-A-COMMAND:1");
    CHECK(r.policy("Restrict").assigned);
    CHECK_FALSE(r.policy("Restrict").default_response_rule()->active);
    CHECK(r.store.filter_actions.size() == 1);
}

TEST_CASE("echo-generated scripts: the echo payloads are the commands; netsh -f is noted") {
    const auto r = import_text(
        "echo ipsec static add policy name = P >> c:/temp.ips\n"
        "echo ipsec  static add filterlist name = L >>c:/temp.ips\n"
        "rem echo ipsec static add filter filterlist = L srcaddr = me dstaddr = any >> c:/temp.ips\n"
        "netsh -f \"c:/temp.ips\"\n");
    CHECK(r.codes() == "N-NETSH-COMMENTED-OUT:1 N-NETSH-SCRIPT-FILE:1");
    CHECK(r.store.find_policy("P"));
    CHECK(r.store.find_filter_list("L"));
    CHECK(r.first("N-NETSH-COMMENTED-OUT").where.line == 3);
}

TEST_CASE("netsh -f of a script that is not in this input") {
    const auto r = import_text("netsh ipsec static add policy name=P\nnetsh exec lockdown.txt\n");
    CHECK(r.codes() == "W-NETSH-SCRIPT-NOT-READ:1");
    CHECK(r.first("W-NETSH-SCRIPT-NOT-READ").message.find("lockdown.txt") != std::string::npos);
}

TEST_CASE("commented-out netsh commands are notes; other comments are silent") {
    const auto r = import_text(
        "REM netsh ipsec static add policy name=Old\n:: netsh ipsec static delete all\n"
        "rem this is a plain comment\nnetsh ipsec static add policy name=New\n");
    CHECK(r.codes() == "N-NETSH-COMMENTED-OUT:2");
    CHECK(r.store.policies.size() == 1);
}

TEST_CASE("foreign lines are notes, never silent") {
    const auto r = import_text(
        "Policy=Test\ndel $.t\nnetsh firewall set opmode disable\n"
        "netsh ipsec static add policy name=P\n");
    CHECK(r.codes() == "N-NETSH-NOT-A-COMMAND:3");
    CHECK(r.first("N-NETSH-NOT-A-COMMAND").message.find("Policy=Test") != std::string::npos);
}

TEST_CASE("a file with no netsh ipsec command is E-NETSH-NO-COMMANDS") {
    auto r = import_text("sc stop PolicyAgent\nREM netsh ipsec static add policy name=P\n");
    CHECK(r.codes() == "E-NETSH-NO-COMMANDS:1 N-NETSH-COMMENTED-OUT:1 N-NETSH-NOT-A-COMMAND:1");
    CHECK(r.first("E-NETSH-NO-COMMANDS").where.path() == "test.bat");
    r = import_text("");
    CHECK(r.codes() == "E-NETSH-NO-COMMANDS:1");
}

TEST_CASE("netsh ipsec without static or dynamic, and a head with no command") {
    const auto r = import_text("netsh ipsec show all\nnetsh ipsec static\n");
    CHECK(r.codes() == "E-NETSH-UNKNOWN-COMMAND:2");
}

TEST_CASE("two commands glued by a missing line break are split (corpus #12)") {
    const auto r = import_text(
        "netsh ipsec static add policy name=P\n"
        "netsh ipsec static add filterlist name=\xE5\x8D\xB1netsh ipsec static ^\n"
        "add filter filterlist=\xE5\x8D\xB1 srcaddr=any dstaddr=me dstport=42 protocol=tcp\n");
    CHECK(r.codes() == "W-NETSH-MERGED-COMMANDS:1");
    const auto& w = r.first("W-NETSH-MERGED-COMMANDS");
    CHECK(w.where.line == 2);
    CHECK(w.where.column == 41);
    REQUIRE(r.list("\xE5\x8D\xB1").filters.size() == 1);
    CHECK(r.list("\xE5\x8D\xB1").filters[0].where.line == 2);
    CHECK(r.list("\xE5\x8D\xB1").filters[0].where.column == 41);
}

TEST_CASE("lines of tag=value below a command continue it (book and markdown wrapping)") {
    const auto r = import_text(
        "C:\\> netsh ipsec static add filter\nfilterlist=F srcaddr=Any dstaddr=Any\nprotocol=ANY\n"
        "netsh ipsec static add filter filterlist=\"T\"\n"
        "\tsrcaddr=me srcport=3389 dstaddr=any dstport=0 protocol=tcp`  \n"
        "\tdescription=\"quick and dirty RDP filter\"\n"
        "\n"
        "srcaddr=me\n");  // not adjacent: a blank line in between
    CHECK(r.codes() == "N-NETSH-NOT-A-COMMAND:1 W-NETSH-STRAY-BACKTICK:1 W-NETSH-WRAPPED-LINE:4");
    REQUIRE(r.list("F").filters.size() == 1);
    CHECK(r.list("F").filters[0].where.line == 1);
    CHECK(r.list("F").filters[0].where.column == 6);  // after the prompt
    const Filter& t = r.list("T").filters.at(0);
    CHECK(t.source_port == 3389);
    CHECK(t.protocol == protocol::tcp);
    CHECK(t.description == "quick and dirty RDP filter");
    CHECK(r.first("W-NETSH-STRAY-BACKTICK").where.line == 5);
    CHECK(r.first("W-NETSH-STRAY-BACKTICK").where.column == 60);
}

TEST_CASE("a command word below a bare head continues it") {
    const auto r = import_text("netsh ipsec static\nadd policy name=P\n");
    CHECK(r.codes() == "W-NETSH-WRAPPED-LINE:1");
    CHECK(r.policy("P").where.line == 1);
}

TEST_CASE("a wrapped line keeps its own errors at its own place") {
    const auto r =
        import_text(nis({"add policy name=P", "add filterlist name=L", "add filteraction name=A"}) +
                    "netsh ipsec static add rule name=R\npolicy=P filterlist=L\nfilteraction=A contype=all\n");
    CHECK(r.codes() == "E-NETSH-UNKNOWN-TAG:1 W-NETSH-WRAPPED-LINE:2");
    CHECK(r.first("E-NETSH-UNKNOWN-TAG").where.line == 6);
    CHECK(r.first("E-NETSH-UNKNOWN-TAG").where.column == 16);
}

TEST_CASE("consec commands are not imported: an error, plus their typos") {
    const auto r = import_text(
        "netsh ipsec static add policy name=P\n"
        "netsh advfirewall consec add rule name=x\nendpointl=any endpoint2=any\n"
        "action=requireinrequireout\n");
    CHECK(r.codes() == "E-NETSH-CONSEC-UNSUPPORTED:1 E-NETSH-UNKNOWN-TAG:1 W-NETSH-WRAPPED-LINE:2");
    CHECK(r.first("E-NETSH-CONSEC-UNSUPPORTED").message.find("--format consec") != std::string::npos);
    CHECK(r.first("E-NETSH-UNKNOWN-TAG").message.find("endpoint1") != std::string::npos);
}

TEST_CASE("shell variables and placeholders are taken literally, with warnings") {
    const auto r = import_text(nis({"add policy name=$Policy", "add filteraction name=A action=permit",
                                    "add filter filterlist=L srcaddr=any dstaddr=me",
                                    "add rule name=R policy=$Policy filterlist=L filteraction=A psk=<PASSWORD>"}));
    CHECK(r.codes() == "W-NETSH-PLACEHOLDER:1 W-NETSH-SHELL-VARIABLE:2");
    CHECK(r.policy("$Policy").rules.at(1).authentication.at(0).preshared_key.reveal() == "<PASSWORD>");
}

TEST_CASE("a command that still holds a batch variable is not applied") {
    const auto r = import_text(nis({"add policy name=P", "add filter filterlist=L srcaddr=%host% dstaddr=me"}));
    CHECK(r.count("W-NETSH-UNRESOLVED-VARIABLE") == 1);
    CHECK(r.first("W-NETSH-UNRESOLVED-VARIABLE").message.find("%host%") != std::string::npos);
    CHECK(r.store.filter_lists.empty());
    ImportOptions defined;
    defined.defines["host"] = "10.0.0.1";
    const auto d = import_text(nis({"add filter filterlist=L srcaddr=%host% dstaddr=me"}), defined);
    CHECK(d.codes() == "");
    CHECK(d.list("L").filters.at(0).source.to_string() == "10.0.0.1");
}

TEST_CASE("an unterminated quote is pointed out") {
    const auto r = import_text(nis({"add policy name=\"P description=x"}));
    CHECK(r.codes() == "W-NETSH-UNTERMINATED-QUOTE:1");
    CHECK(r.store.find_policy("P description=x"));
}

TEST_CASE("recognise: the share of lines that are netsh ipsec commands") {
    CHECK(score("netsh ipsec static add policy name=P\nnetsh ipsec static set policy name=P assign=y\n") == 100);
    CHECK(score("ipsec static add policy name=P\n") == 100);
    CHECK(score("echo ipsec  static add policy name = P >> c:/t.ips\nnetsh -f c:/t.ips\n") == 75);
    CHECK(score("@echo off\nNetsh IPsec static add policy name=P\nset x=1\nset y=2\n") > 50);
    CHECK(score("REM netsh ipsec static add policy name=P\n") == 10);
    CHECK(score("netsh advfirewall consec add rule name=x endpoint1=any\n") == 20);
    CHECK(score("ipseccmd -w REG -p x -r y -f 0+*\n") == 0);
    CHECK(score("") == 0);
}
