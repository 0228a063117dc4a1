// Command-line splitting, program recognition and switch parsing
// (ipseccmd_words.cpp, ipseccmd_arguments.cpp; spec windows-ipsec.md §6.1).
#include <doctest/doctest.h>

#include <algorithm>

#include "ipseccmd_test_support.hpp"
#include "plugins/ipseccmd/ipseccmd_arguments.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"

using namespace winipsec;
using namespace winipsec::ipseccmd;
using namespace winipsec::ipseccmd::test;

// U+2013 EN DASH, as a separate literal so that no hex escape swallows the next letter.
#define DASH "\xE2\x80\x93"

namespace {
std::vector<std::string> texts(const std::vector<Word>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(w.text);
    return out;
}
std::vector<std::string> split(const std::string& text) {
    const ScriptLine line = make_line(text);
    return texts(split_arguments(Word::of_line(line)).words);
}
LineKind kind_of(const std::string& text) {
    return classify_line(make_line(text)).kind;
}
}  // namespace

TEST_CASE("argv splitting follows the Microsoft C runtime") {
    CHECK(split(R"(ipseccmd -w REG -p "Block UDP 1434 Filter" -x)") ==
          std::vector<std::string>{"ipseccmd", "-w", "REG", "-p", "Block UDP 1434 Filter", "-x"});
    // a quote in the middle of a word, as in -a p:"%PSK%" (corpus #21)
    CHECK(split(R"(-a p:"my key")") == std::vector<std::string>{"-a", "p:my key"});
    // "" inside quotes is a literal quote
    CHECK(split(R"("say ""hi""" x)") == std::vector<std::string>{R"(say "hi")", "x"});
    // backslashes are literal unless they precede a quote
    CHECK(split(R"(\\127.0.0.1 "C:\Program Files\Resource Kit\ipsecpol.exe")") ==
          std::vector<std::string>{R"(\\127.0.0.1)", R"(C:\Program Files\Resource Kit\ipsecpol.exe)"});
    CHECK(split(R"(a\"b c\\"d e" f)") == std::vector<std::string>{R"(a"b)", R"(c\d e)", "f"});
    CHECK(split(R"(x "" y)") == std::vector<std::string>{"x", "", "y"});
}

TEST_CASE("cmd.exe redirections and chaining end the arguments") {
    CHECK(split("ipseccmd -w REG -p ipsec -x >nul") ==
          std::vector<std::string>{"ipseccmd", "-w", "REG", "-p", "ipsec", "-x"});
    CHECK(split("ipseccmd -x>nul") == std::vector<std::string>{"ipseccmd", "-x"});
    CHECK(split("ipseccmd -u 2>nul") == std::vector<std::string>{"ipseccmd", "-u"});
    CHECK(split("ipseccmd -u && echo done") == std::vector<std::string>{"ipseccmd", "-u"});
    CHECK(split("ipseccmd -u | findstr x") == std::vector<std::string>{"ipseccmd", "-u"});
    // quoted operators are text
    CHECK(split(R"(-p "a>b")") == std::vector<std::string>{"-p", "a>b"});
}

TEST_CASE("every byte of a word keeps its column, across removed quotes") {
    const ScriptLine line = make_line(R"(ipsec -f "0+*:445:TCP" -a p:"k")");
    const auto words = split_arguments(Word::of_line(line)).words;
    REQUIRE(words.size() == 5);
    CHECK(words[2].text == "0+*:445:TCP");
    CHECK(words[2].at(0).column == 11);  // after the opening quote
    CHECK(words[2].at(4).column == 15);  // the '4' of 445
    CHECK(words[4].text == "p:k");
    CHECK(words[4].at(2).column == 30);  // 'k', past the quote at column 29
    CHECK(split_arguments(Word::of_line(make_line(R"(-p "open)"))).unterminated_quote);
}

TEST_CASE("blank splitting keeps offsets") {
    const ScriptLine line = make_line("x ESP[3DES,SHA] 3600S/100000K");
    const auto words = split_blanks(word_of(line, 2));
    REQUIRE(words.size() == 2);
    CHECK(words[1].text == "3600S/100000K");
    CHECK(words[1].at(0).column == 17);
}

TEST_CASE("unsubstituted batch variables are found") {
    CHECK(find_unresolved_variable("0+%IP_CIBLES%:445:TCP") == 2u);
    CHECK(find_unresolved_variable("%%b") == 0u);
    CHECK(find_unresolved_variable("x%1") == 1u);
    CHECK(find_unresolved_variable("%~dp0ipseccmd") == 0u);
    CHECK_FALSE(find_unresolved_variable("100%"));
    CHECK_FALSE(find_unresolved_variable("0+*:80:TCP"));
}

TEST_CASE("program recognition: ipseccmd and ipsecpol in every spelling") {
    CHECK(kind_of("ipseccmd -u") == LineKind::Invocation);
    CHECK(kind_of("    IPSeccmd.exe -w REG -p P -y") == LineKind::Invocation);  // KB markdown indentation
    CHECK(kind_of("IPSECPOL.EXE -u") == LineKind::Invocation);
    CHECK(kind_of(R"(C:\tools\ipsecpol.exe -u)") == LineKind::Invocation);
    CHECK(kind_of(R"("C:\Program Files\Resource Kit\ipsecpol.exe" \\127.0.0.1 -u)") == LineKind::Invocation);
    CHECK(kind_of("@ipseccmd -u") == LineKind::Invocation);
    CHECK(kind_of("ipseccmd") == LineKind::Invocation);  // prints usage
}

TEST_CASE("program recognition: a binary renamed ipsec, but not netsh context lines") {
    CHECK(kind_of("ipsec -w REG -p CERTitude-analyst -o") == LineKind::Invocation);
    CHECK(kind_of("ipsec export REG oldrules.ipsec") == LineKind::Invocation);
    CHECK(kind_of("ipsec import REG oldrules.ipsec") == LineKind::Invocation);
    CHECK(kind_of(R"(ipsec \\host -u)") == LineKind::Invocation);
    CHECK(kind_of("ipsec") == LineKind::NotACommand);
    const auto netsh_context = classify_line(make_line("ipsec static add policy name=x"));
    CHECK(netsh_context.kind == LineKind::NotACommand);
    CHECK(netsh_context.hint.find("--format netsh") != std::string::npos);
    CHECK(classify_line(make_line("netsh ipsec static add policy name=x")).hint.find("netsh") != std::string::npos);
    CHECK(kind_of("ipsec dynamic show all") == LineKind::NotACommand);
    CHECK(kind_of("ipseccmdx -u") == LineKind::NotACommand);
    CHECK(kind_of("echo ipseccmd -u") == LineKind::NotACommand);
}

TEST_CASE("comments: commented-out invocations are told apart from other comments") {
    CHECK(kind_of("rem ipseccmd -w REG -p X -y") == LineKind::CommentedInvocation);
    CHECK(kind_of("@REM ipsecpol -u") == LineKind::CommentedInvocation);
    CHECK(kind_of("::ipseccmd -u") == LineKind::CommentedInvocation);
    CHECK(kind_of("# ipsecpol " DASH "w REG " DASH "p \"Packet Filter\"") == LineKind::CommentedInvocation);
    CHECK(kind_of("rem block the worm") == LineKind::Comment);
    CHECK(kind_of("# -f *+131.107.1.1:110:TCP") == LineKind::Comment);
    CHECK(kind_of(":label") == LineKind::Comment);
    CHECK(kind_of("remark") == LineKind::NotACommand);
    CHECK(comment_body("rem ipseccmd -u") == std::optional<std::string_view>("ipseccmd -u"));
}

TEST_CASE("VBScript string literals that hold ipsecpol arguments (corpus #27)") {
    const ScriptLine line = make_line(R"(aCommands(1) = "-w REG -p ""MyPol"" -r ""Blocker"" -n BLOCK")");
    const auto c = classify_line(line);  // its words point into `line`
    REQUIRE(c.kind == LineKind::Invocation);
    CHECK(c.from_vbscript);
    CHECK_FALSE(c.has_head);
    REQUIRE(c.words.size() == 8);
    CHECK(c.words[3].text == "MyPol");
    CHECK(c.words[3].at(0).column == 29);  // the M after the doubled quote
    // a trailing VBScript comment is fine
    CHECK(kind_of(R"(aCommands(0) = "-w REG -p ""MyPol"" -y -o"   'Deletes it)") == LineKind::Invocation);
    // a whole command line in a string
    CHECK(kind_of(R"(sCmd = "ipsecpol -w REG -p ""P"" -x")") == LineKind::Invocation);
    // not an invocation: a path, a concatenation, a plain string
    CHECK(kind_of(R"(Const sFullPath = "C:\Program Files\Resource Kit\IPSECPOL.EXE")") == LineKind::NotACommand);
    CHECK(kind_of(R"(sCmd = "-w REG" & sRest)") == LineKind::NotACommand);
    CHECK(kind_of(R"(sSubnet = "10.5.5.")") == LineKind::NotACommand);
}

TEST_CASE("switches: unknown ones get an error with a suggestion, at their column") {
    const auto r = import_text("  ipseccmd -w REG -p P -r R -fl 0+* -n BLOCK\n");
    CHECK(r.codes() == "E-IPSECCMD-UNKNOWN-SWITCH:1");
    const auto* d = r.first(code::unknown_switch);
    REQUIRE(d);
    CHECK(d->where.line == 1);
    CHECK(d->where.column == 29);
    CHECK(d->message.find("did you mean -f?") != std::string::npos);
    CHECK(r.store.policies.empty());  // the tool would have refused the line
    CHECK(import_text("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK -sofr\n")
              .first(code::unknown_switch)
              ->message.find("-soft") != std::string::npos);
    CHECK(import_text("ipseccmd -w REG -p P -r R -f 0+* -n BLOCK -zzzzzz\n")
              .first(code::unknown_switch)
              ->message.find("did you mean") == std::string::npos);
}

TEST_CASE("switches: case does not matter") {
    const auto r = import_text("IPSECCMD -W reg -P Pol -R Rule -F 0+* -N block -X\n");
    CHECK(r.codes() == "");
    REQUIRE(r.policy("Pol"));
    CHECK(r.policy("Pol")->assigned);
}

TEST_CASE("switches: '/' is not a switch prefix") {
    const auto r = import_text("ipseccmd /w REG -p P -r R -f 0+* -n BLOCK\n");
    CHECK(r.codes() == "E-IPSECCMD-SLASH-SWITCH:1");
    CHECK(r.first(code::slash_switch)->where.column == 10);
    CHECK(r.store.policies.empty());
}

TEST_CASE("switches: en dashes copied from documents are read as '-' with one warning (corpus #97)") {
    const auto r = import_text("ipsecpol " DASH "w REG " DASH "p \"Packet Filter\" " DASH
                               "r \"mail\" -f *+131.107.1.1:110:TCP " DASH "f *+131.107.1.1:995:TCP " DASH "n PASS\n");
    CHECK(r.codes() == "W-IPSECCMD-EN-DASH:1");
    CHECK(r.first(code::en_dash)->where.column == 10);
    CHECK(r.first(code::en_dash)->message.find("5 switches") != std::string::npos);
    REQUIRE(r.policy("Packet Filter"));
    const Rule* rule = find_rule(*r.policy("Packet Filter"), "mail");
    REQUIRE(rule);
    CHECK(r.list(*rule).filters.size() == 2);  // -f repeated
    CHECK(r.action(*rule).action == ActionKind::Permit);
}

TEST_CASE("switches: values, missing values and stray arguments") {
    auto r = import_text("ipseccmd -w REG -p\n");
    CHECK(r.codes() == "E-IPSECCMD-MISSING-VALUE:1");
    r = import_text("ipseccmd -w REG -p P -x yes\n");
    CHECK(r.codes() == "E-IPSECCMD-UNEXPECTED-ARGUMENT:1");
    CHECK(r.first(code::unexpected_argument)->where.column == 25);
    r = import_text("ipseccmd -w REG -p My Pol -r R -f 0+* -n BLOCK\n");
    CHECK(r.codes() == "E-IPSECCMD-UNEXPECTED-ARGUMENT:1");
    CHECK(r.first(code::unexpected_argument)->message.find("\"My Pol\"") != std::string::npos);
    r = import_text("ipseccmd 0+* -n BLOCK\n");
    CHECK(r.codes() == "E-IPSECCMD-UNEXPECTED-ARGUMENT:1");
}

TEST_CASE("switches: a repeated switch warns and the last one wins") {
    const auto r = import_text("ipseccmd -w REG -p P -r R -f 0+* -n PASS -n BLOCK\n");
    CHECK(r.codes() == "W-IPSECCMD-DUPLICATE-SWITCH:1");
    CHECK(r.action(*find_rule(*r.policy("P"), "R")).action == ActionKind::Block);
}

TEST_CASE("a \\\\computer target: remote ones warn, loopback does not") {
    auto r = import_text("ipseccmd \\\\server1 -w REG -p P -r R -f 0+* -n BLOCK\n");
    CHECK(r.codes() == "W-IPSECCMD-REMOTE-COMPUTER:1");
    CHECK(r.first(code::remote_computer)->where.column == 10);
    CHECK(r.policy("P"));
    r = import_text("ipsecpol.exe \\\\127.0.0.1 -w REG -p P -r R -f 0+* -n BLOCK\n");
    CHECK(r.codes() == "");
}

TEST_CASE("invocations that change no policy, or change it from files we cannot see") {
    CHECK(import_text("ipseccmd -?\n").codes() == "N-IPSECCMD-NO-EFFECT:1");
    CHECK(import_text("ipseccmd\n").codes() == "N-IPSECCMD-NO-EFFECT:1");
    CHECK(import_text("ipseccmd show filters policies\n").codes() == "N-IPSECCMD-NO-EFFECT:1");
    CHECK(import_text("ipsec export REG old.ipsec\n").codes() == "N-IPSECCMD-NO-EFFECT:1");
    const auto r = import_text("ipsec import REG old.ipsec\nipseccmd -file cmds.txt\n");
    CHECK(r.codes() == "W-IPSECCMD-FILE-NOT-READ:2");
    CHECK(r.diagnostics.all()[0].message.find("old.ipsec") != std::string::npos);
    CHECK(r.diagnostics.all()[1].message.find("cmds.txt") != std::string::npos);
}

TEST_CASE("the known switch table") {
    const auto& names = known_switches();
    for (const char* s : {"f", "n", "t", "a", "1s", "1k", "1p",      "soft", "dialup", "lan",  "u",
                          "w", "p", "r", "x", "y",  "o",  "confirm", "1e",   "1f",     "file", "?"})
        CHECK(std::find(names.begin(), names.end(), std::string_view(s)) != names.end());
}
