// The Importer itself (ipseccmd_importer.cpp): recognise(), what happens to
// lines that are not invocations, commented-out invocations, batch variables.
#include <doctest/doctest.h>

#include "import/decoded_text.hpp"
#include "ipseccmd_test_support.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"
#include "plugins/ipseccmd/ipseccmd_importer.hpp"

using namespace winipsec;
using namespace winipsec::ipseccmd;
using namespace winipsec::ipseccmd::test;

namespace {
int score(const std::string& text) {
    const auto decoded = decode_bytes(text, "t.bat");
    REQUIRE(decoded);
    return ipseccmd_importer().recognise(*decoded);
}
}  // namespace

TEST_CASE("the importer's name") {
    CHECK(ipseccmd_importer().name() == "ipseccmd");
}

TEST_CASE("recognise(): invocations score high, netsh lines pull the score down") {
    CHECK(score("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK -x\n") >= 90);
    CHECK(score("@echo off\nipsecpol.exe \\\\127.0.0.1 -f [0+*]\n") >= 90);
    CHECK(score("aCommands(1) = \"-w REG -p \"\"MyPol\"\" -x\"\n") >= 90);
    CHECK(score("ipsec -w REG -p X -o\n") >= 90);
    const int mixed = score(
        "netsh ipsec static add policy name=a\nnetsh ipsec static add policy name=b\n"
        "netsh ipsec static add policy name=c\nipseccmd -w REG -p P -x\n");
    CHECK(mixed > 0);
    CHECK(mixed < 60);
    CHECK(score("# ipsecpol -w REG -p X -x\n# more\n") == 30);  // commented-out only (corpus #97)
    CHECK(score("netsh ipsec static add policy name=a\n") == 0);
    CHECK(score("ipsec static add policy name=a\n") == 0);
    CHECK(score("hello world\n") == 0);
    CHECK(score("") == 0);
}

TEST_CASE("a file without invocations is an error that counts the commented-out ones (corpus #97)") {
    auto r = import_text("# ipsecpol -w REG -p \"Bad\" -f 0+* -n BLOCK -x\n# -f *+0\nrem ipseccmd -u\n");
    CHECK(r.codes() == "E-IPSECCMD-NO-COMMANDS:1 N-IPSECCMD-COMMENTED-OUT:2");
    const auto* e = r.first(code::no_commands);
    REQUIRE(e);
    CHECK(e->where.line == 0);
    CHECK(e->where.path() == "test.bat");
    CHECK(e->message.find("2 commented-out invocations") != std::string::npos);
    const auto* n = r.first(code::commented_out);
    REQUIRE(n);
    CHECK(n->where.line == 1);
    r = import_text("nothing here\n");  // (echo lines never reach us: the batch layer runs them)
    CHECK(r.codes() == "E-IPSECCMD-NO-COMMANDS:1 N-IPSECCMD-NOT-A-COMMAND:1");
    CHECK(r.first(code::no_commands)->message.find("commented") == std::string::npos);
    CHECK(import_text("").codes() == "E-IPSECCMD-NO-COMMANDS:1");
}

TEST_CASE("commented-out invocations are notes, in line order among the rest") {
    const auto r = import_text(
        "rem ipseccmd -w REG -p \"Block default ports\" -r \"Block TCP/135\" -f *+0:135:TCP -n BLOCK -x\n"
        "ipseccmd -w REG -p P -y\n"
        ":: ipsecpol -u\n");
    CHECK(r.codes() == "N-IPSECCMD-COMMENTED-OUT:2 W-IPSECCMD-NO-SUCH-POLICY:1");
    REQUIRE(r.diagnostics.all().size() == 3);
    CHECK(r.diagnostics.all()[0].where.line == 1);
    CHECK(r.diagnostics.all()[1].where.line == 2);
    CHECK(r.diagnostics.all()[2].where.line == 3);
    CHECK(r.store.policies.empty());
}

TEST_CASE("lines that are not invocations are notes, never silent") {
    const auto r = import_text(
        "netsh ipsec static add policy name=x\n"
        "ipsec static add filterlist name=y\n"
        "ipseccmd -w REG -p P -r R -f 0+* -n BLOCK\n"
        "frobnicate --all\n");
    CHECK(r.codes() == "N-IPSECCMD-NOT-A-COMMAND:3");
    CHECK(r.diagnostics.all()[0].message.find("--format netsh") != std::string::npos);
    CHECK(r.diagnostics.all()[1].message.find("--format netsh") != std::string::npos);
    CHECK(r.diagnostics.all()[2].message.find("frobnicate") != std::string::npos);
    CHECK(r.policy("P"));
}

TEST_CASE("VBScript string literals are imported with one warning per file (corpus #27)") {
    const auto r = import_text(
        "Const sFullPath = \"C:\\Program Files\\Resource Kit\\IPSECPOL.EXE\"\n"
        "aCommands(0) = \"-w REG -p \"\"MyPol\"\" -r \"\"Blocker\"\" -n BLOCK -x -f 0+*\"\n"
        "aCommands(1) = \"-w REG -p \"\"MyPol\"\" -r \"\"GoICMP\"\"  -n PASS  -x -f 0+*::ICMP\"\n");
    CHECK(r.codes() == "N-IPSECCMD-NOT-A-COMMAND:1 W-IPSECCMD-VBSCRIPT-STRING:1");
    CHECK(r.first(code::vbscript_string)->where.line == 2);
    CHECK(r.first(code::vbscript_string)->where.column == 17);
    const Policy* p = r.policy("MyPol");
    REQUIRE(p);
    CHECK(p->assigned);
    REQUIRE(find_rule(*p, "GoICMP"));
    CHECK(r.list(*find_rule(*p, "GoICMP")).filters[0].protocol == protocol::icmp);
}

TEST_CASE("an undefined batch variable: the invocation is skipped with a note next to the batch error") {
    auto r = import_text(
        "ipsec -f \"0+%IP_CIBLES%:445:TCP\" -n \"esp[3des,sha] 3600S/100000K\" -a p:\"%PSK%\" "
        "-r rule -w REG -p CERTitude-analyst\n");
    CHECK(r.count(code::not_applied) == 1);
    CHECK(r.count("E-BATCH-UNDEFINED-VARIABLE") >= 1);
    CHECK(r.first(code::not_applied)->where.column == 13);
    CHECK(r.store.policies.empty());

    // with --define the same line imports (corpus #21's analyst rule)
    ImportOptions options;
    options.defines = {{"IP_CIBLES", "10.0.0.0/8"}, {"PSK", "s3cret"}};
    r = import_text(
        "ipsec -f \"0+%IP_CIBLES%:445:TCP\" \"0+%IP_CIBLES%:139:TCP\" -n \"esp[3des,sha] 3600S/100000K\" "
        "-a p:\"%PSK%\" -1s 3DES-SHA-2  -r \"CERTitude-analyst-rule\" -w REG -p CERTitude-analyst > NUL\n",
        options);
    CHECK(r.codes() == "");
    const Policy* p = r.policy("CERTitude-analyst");
    REQUIRE(p);
    CHECK_FALSE(p->assigned);
    const Rule* rule = find_rule(*p, "CERTitude-analyst-rule");
    REQUIRE(rule);
    const auto& f = r.list(*rule).filters;
    REQUIRE(f.size() == 2);
    CHECK(f[0].destination.prefix_length == 8);
    CHECK(f[0].destination_port == 445);
    CHECK(f[1].destination_port == 139);
    CHECK(rule->authentication[0].preshared_key.reveal() == "s3cret");
    const FilterAction& a = r.action(*rule);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].lifetime_seconds == 3600);
    CHECK(a.offers[0].lifetime_kbytes == 100000);
}

TEST_CASE("a variable reference left in the text without a batch error is an error of its own") {
    // `%%PSK%%` is cmd's escape for a literal %PSK%: the batch layer is right
    // not to complain, but ipseccmd would then get "%PSK%", which is almost
    // certainly not what the author meant.
    const auto r = import_text("ipseccmd -w REG -p P -r R -f 0+* -a p:%%PSK%% -n ESP[3DES,SHA]\n");
    CHECK(r.codes() == "E-IPSECCMD-UNRESOLVED-VARIABLE:1");
    CHECK(r.store.policies.empty());
}

TEST_CASE("caret continuations and if blocks from the batch layer are imported like any line") {
    const auto r = import_text("if exist x (\n  ipseccmd -w REG -p P -r R -f 0+* -n BLOCK ^\n   -x\n)\n");
    REQUIRE(r.policy("P"));
    CHECK(r.policy("P")->assigned);
    CHECK(r.count(code::no_commands) == 0);
}

TEST_CASE("garbage in: no crash, no exception, every line accounted for") {
    // Deterministic pseudo-random command lines built from the grammar's pieces.
    const char* pieces[] = {"ipseccmd",
                            "ipsecpol.exe",
                            "ipsec",
                            " ",
                            "  ",
                            "-f",
                            "-n",
                            "-w",
                            "REG",
                            "DS:x",
                            "-p",
                            "-r",
                            "-x",
                            "-y",
                            "-o",
                            "-u",
                            "-a",
                            "-t",
                            "-1s",
                            "-1k",
                            "\xE2\x80\x93"
                            "f",
                            "/f",
                            "0",
                            "*",
                            "+",
                            "=",
                            ":",
                            "::",
                            "/",
                            "10.1.*.*",
                            "255.255.0.0",
                            "[",
                            "]",
                            "(",
                            ")",
                            "\"",
                            "\"\"",
                            "\\\\",
                            "%X%",
                            "%%",
                            "ESP[",
                            "AH[",
                            ",",
                            "3DES",
                            "SHA",
                            "NONE",
                            "3600S/",
                            "PFS2",
                            "BLOCK",
                            "PASS",
                            "INPASS",
                            "DEFAULT",
                            "p:",
                            "TCP",
                            "80",
                            "65536",
                            "rem ",
                            "a(1) = \"",
                            "^",
                            ">nul",
                            "&",
                            "|"};
    std::uint32_t state = 12345;
    auto next = [&] {
        state = state * 1103515245u + 12345u;
        return (state >> 16) & 0x7fff;
    };
    std::string text;
    for (int line = 0; line < 400; ++line) {
        const int n = 1 + static_cast<int>(next() % 14);
        for (int k = 0; k < n; ++k) text += pieces[next() % std::size(pieces)];
        text += '\n';
    }
    Imported r;
    CHECK_NOTHROW(r = import_text(text));
    CHECK_FALSE(r.diagnostics.all().empty());
    for (const auto& d : r.diagnostics.all()) CHECK_FALSE(d.message.empty());
}
