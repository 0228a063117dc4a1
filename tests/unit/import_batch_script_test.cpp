// Tests of src/import/batch_script.cpp (the shared batch-file layer) and the
// files it is split into. One TEST_CASE per rule of the comment block at the
// top of batch_script.cpp, then a run over the whole real-world corpus.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "import/batch_script.hpp"
#include "import/decoded_text.hpp"

using winipsec::BatchOptions;
using winipsec::BatchScript;
using winipsec::Diagnostic;
using winipsec::Diagnostics;
using winipsec::ScriptLine;
using winipsec::Severity;

namespace {

struct Run {
    BatchScript script;
    Diagnostics diagnostics;

    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& c : script.commands) out.push_back(c.text);
        return out;
    }
    std::vector<const Diagnostic*> with_code(std::string_view code) const {
        std::vector<const Diagnostic*> out;
        for (const auto& d : diagnostics.all())
            if (d.code == code) out.push_back(&d);
        return out;
    }
};

Run run(std::string_view utf8, std::map<std::string, std::string> defines = {}) {
    winipsec::DecodedText text;
    text.path = std::make_shared<const std::string>("script.bat");
    text.utf8 = std::string(utf8);
    text.encoding = "UTF-8";
    BatchOptions options;
    options.defines = std::move(defines);
    Run r;
    r.script = winipsec::read_batch_script(text, options, r.diagnostics);
    return r;
}

// (line, column) of the first byte of `needle` in a command.
std::pair<int, int> origin_of(const ScriptLine& line, std::string_view needle) {
    const auto at = line.text.find(needle);
    REQUIRE_MESSAGE(at != std::string::npos, "'" << needle << "' not in '" << line.text << "'");
    const auto where = line.at(at);
    return {where.line, where.column};
}

// Every byte of a command, and the place just past it, points into the file.
bool every_byte_placed(const ScriptLine& line) {
    for (std::size_t i = 0; i <= line.text.size(); ++i)
        if (line.at(i).line <= 0 || line.at(i).column <= 0) return false;
    return true;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("caret continuation joins the next line, keeping its leading TAB, with exact origins") {
    // #10: `netsh ipsec static ^` then a line starting with a TAB.
    const auto r = run("netsh ipsec static ^\n\tadd policy name = SECCPP description=x\n");
    REQUIRE(r.texts() == Lines{"netsh ipsec static \tadd policy name = SECCPP description=x"});
    const auto& line = r.script.commands[0];
    CHECK(origin_of(line, "netsh") == std::pair{1, 1});
    CHECK(origin_of(line, "static") == std::pair{1, 13});
    CHECK(origin_of(line, "\tadd") == std::pair{2, 1});
    CHECK(origin_of(line, "add") == std::pair{2, 2});
    CHECK(origin_of(line, "SECCPP") == std::pair{2, 20});
    const auto end = line.at(line.text.size());  // just past the end
    CHECK(end.line == 2);
    CHECK(end.column == 40);
    CHECK(line.start().file);
    CHECK(*line.start().file == "script.bat");
}

TEST_CASE("caret continuation: repeated, blanks after the caret, `^^`, quotes, end of file") {
    CHECK(run("netsh ipsec static ^\nadd policy ^  \nname=x\n").texts() ==
          Lines{"netsh ipsec static add policy name=x"});
    // `^^` is an escaped caret: a literal `^`, no continuation.
    CHECK(run("netsh a=x^^\nnetsh b\n").texts() == Lines{"netsh a=x^", "netsh b"});
    // Inside double quotes a caret is literal.
    CHECK(run("netsh add description=\"a ^\"\nnetsh b\n").texts() == Lines{"netsh add description=\"a ^\"", "netsh b"});
    CHECK(run("netsh a ^").texts() == Lines{"netsh a"});
    // #12: a missing newline glues two commands; the layer keeps them glued.
    const auto r = run("netsh ipsec static ^\nadd filterlist name=Xnetsh ipsec static ^\nadd filter filterlist=X\n");
    REQUIRE(r.texts() == Lines{"netsh ipsec static add filterlist name=Xnetsh ipsec static add filter filterlist=X"});
    CHECK(origin_of(r.script.commands[0], "add filter ") == std::pair{3, 1});
}

TEST_CASE("columns count code points, not bytes") {
    const auto r = run("netsh name=策略 x=1\n");
    REQUIRE(r.script.commands.size() == 1);
    CHECK(origin_of(r.script.commands[0], "x=1") == std::pair{1, 15});
    CHECK(origin_of(r.script.commands[0], "略") == std::pair{1, 13});
}

TEST_CASE("comments are dropped; commented-out commands are listed with their place") {
    const auto r =
        run("rem plain remark\n"
            "REM netsh ipsec static add filterlist name=All\n"
            "  @rem ipseccmd -w REG -p x -y\n"
            "::netsh ipsec static add filter filterlist=x\n"
            "# ipsec static add filterlist name=All\n"
            "rem echo ipsec static add filter filterlist = deny_all >> c:/temp.ips\n"
            "REM ===== netsh section =====\n"
            "rem IPsec settings for the server\n"
            "rem C:\\Windows\\System32\\netsh.exe ipsec static delete all\n"
            "# ipsecpol \xE2\x80\x93w REG \xE2\x80\x93p \"Packet Filter\"\n"
            "rem\n"
            "remark is not a comment\n"
            "netsh ipsec static add policy name=x & rem netsh ipsec static delete all\n");
    CHECK(r.texts() == Lines{"remark is not a comment", "netsh ipsec static add policy name=x"});
    const auto& c = r.script.commented_out;
    REQUIRE(c.size() == 8);
    CHECK(c[0].text == "netsh ipsec static add filterlist name=All");
    CHECK(c[0].where.line == 2);
    CHECK(c[0].where.column == 5);
    CHECK(c[1].text == "ipseccmd -w REG -p x -y");
    CHECK(c[1].where.line == 3);
    CHECK(c[1].where.column == 8);
    CHECK(c[2].text == "netsh ipsec static add filter filterlist=x");
    CHECK(c[2].where.column == 3);
    CHECK(c[3].text == "ipsec static add filterlist name=All");
    CHECK(c[4].text == "echo ipsec static add filter filterlist = deny_all >> c:/temp.ips");
    CHECK(c[4].where.line == 6);
    CHECK(c[5].text == "C:\\Windows\\System32\\netsh.exe ipsec static delete all");
    CHECK(c[6].text.starts_with("ipsecpol"));
    CHECK(c[7].text == "netsh ipsec static delete all");
    CHECK(c[7].where.line == 13);
    CHECK_FALSE(r.diagnostics.has_errors());
}

TEST_CASE("labels are not commands") {
    const auto r = run(":WIN7\nnetsh a\n:WIN10\nnetsh b\n");
    CHECK(r.texts() == Lines{"netsh a", "netsh b"});  // falling into a label just goes on (#92)
}

TEST_CASE("indentation, `@` and console prompts are stripped") {
    const auto r =
        run("    netsh ipsec static add policy ExamplePolicy\n"
            "@netsh b\n"
            "C:\\> netsh ipsec static add filter\n"
            "PS C:\\> netsh c\n"
            "C:\\Windows\\system32>netsh d\n"
            "C:\\tools\\ipseccmd.exe -w REG -p x > nul\n");
    REQUIRE(r.texts() == Lines{"netsh ipsec static add policy ExamplePolicy", "netsh b",
                               "netsh ipsec static add filter", "netsh c", "netsh d",
                               "C:\\tools\\ipseccmd.exe -w REG -p x"});
    CHECK(origin_of(r.script.commands[0], "netsh") == std::pair{1, 5});
    CHECK(origin_of(r.script.commands[2], "netsh") == std::pair{3, 6});
    CHECK(origin_of(r.script.commands[3], "netsh") == std::pair{4, 9});
}

TEST_CASE("Liquid tags are removed before variables are read") {
    // #90: tags glued to both ends, and one highlight block over three lines.
    const auto r =
        run("{% highlight powershell %}netsh ipsec static add policy name=\"AD Trusts\" assign=no{% endhighlight %}\n"
            "{% highlight powershell %}netsh ipsec static add filter filterlist=\"DC\" srcaddr=1.1.1.1\n"
            "netsh ipsec static add filter filterlist=\"DC\" srcaddr=1.1.1.2{% endhighlight %}\n"
            "{% raw %}{% endraw %}\n");
    REQUIRE(r.texts() == Lines{"netsh ipsec static add policy name=\"AD Trusts\" assign=no",
                               "netsh ipsec static add filter filterlist=\"DC\" srcaddr=1.1.1.1",
                               "netsh ipsec static add filter filterlist=\"DC\" srcaddr=1.1.1.2"});
    CHECK(origin_of(r.script.commands[0], "netsh") == std::pair{1, 27});
    CHECK(r.diagnostics.all().empty());
}

TEST_CASE("command separators: `&&` echo tails, `||`, `&`, pipes") {
    CHECK(run("netsh ipsec static set policy name = SECCPP assign = y && echo done\n").texts() ==
          Lines{"netsh ipsec static set policy name = SECCPP assign = y"});
    CHECK(run("netsh a & netsh b&&netsh c || echo failed\n").texts() == Lines{"netsh a", "netsh b", "netsh c"});
    // #11: `| findstr` filters output and is dropped.
    CHECK(run("netsh ipsec static show policy name=SECCPP | findstr SECCPP && echo found\n").texts() ==
          Lines{"netsh ipsec static show policy name=SECCPP"});
    // #40: `Echo Y |` answers a prompt; the command is after the pipe.
    CHECK(run("Echo Y | Reg.exe add \"HKLM\\x\" /v \"name\" /t REG_SZ /d \"a|b&c\" /f\n").texts() ==
          Lines{"Reg.exe add \"HKLM\\x\" /v \"name\" /t REG_SZ /d \"a|b&c\" /f"});
    // Quotes protect operators; a caret escapes one and goes.
    CHECK(run("netsh add filter description=\"a && b | c > d\" x=1\n").texts() ==
          Lines{"netsh add filter description=\"a && b | c > d\" x=1"});
    CHECK(run("netsh add filter description=a^&b\n").texts() == Lines{"netsh add filter description=a&b"});
}

TEST_CASE("redirections are cut") {
    CHECK(run("ipseccmd -w REG -p x -y >nul\n").texts() == Lines{"ipseccmd -w REG -p x -y"});
    CHECK(run("ipsec -w REG -p CERTitude-analyst -o > NUL\n").texts() == Lines{"ipsec -w REG -p CERTitude-analyst -o"});
    CHECK(run("netsh a 2>nul\n").texts() == Lines{"netsh a"});
    CHECK(run("netsh a >nul 2>&1\n").texts() == Lines{"netsh a"});
    CHECK(run("netsh ipsec static show all >> \"c:\\my log.txt\"\n").texts() == Lines{"netsh ipsec static show all"});
    CHECK(run("netsh -f <c:\\script.txt\n").texts() == Lines{"netsh -f"});
    CHECK(run("netsh a > out.txt b=1\n").texts() == Lines{"netsh a  b=1"});
    // A documentation placeholder is text (#94).
    CHECK(run("netsh ipsec static add rule psk=<PASSWORD> name=x\n").texts() ==
          Lines{"netsh ipsec static add rule psk=<PASSWORD> name=x"});
    // A digit glued to a word is not a handle.
    CHECK(run("netsh a dstport=80>nul\n").texts() == Lines{"netsh a dstport=80"});
}

TEST_CASE("echo TEXT >> FILE becomes a command from_echo; other echos are dropped") {
    const auto r =
        run("@echo off\n"
            "echo Blocking ports...\n"
            "echo.\n"
            "echo ipsec static add policy name = x >> c:/temp.ips\n"
            "echo ipsec static add filter filterlist = a srcaddr = me  protocol = any   >>c:/temp.ips\n"
            "echo ipsec static delete all > c:/temp.ips\n"
            "echo something > nul\n"
            ">>c:/temp.ips echo ipsec static set policy name = x assign = y\n"
            "rem echo ipsec static add filter filterlist = dead >> c:/temp.ips\n"
            "netsh -f \"c:/temp.ips\"\n");
    REQUIRE(r.texts() == Lines{"ipsec static add policy name = x",
                               "ipsec static add filter filterlist = a srcaddr = me  protocol = any",
                               "ipsec static delete all", "ipsec static set policy name = x assign = y",
                               "netsh -f \"c:/temp.ips\""});
    for (std::size_t i = 0; i < 4; ++i) CHECK(r.script.commands[i].from_echo);
    CHECK_FALSE(r.script.commands[4].from_echo);
    CHECK(origin_of(r.script.commands[0], "ipsec") == std::pair{4, 6});
    REQUIRE(r.script.commented_out.size() == 1);
    CHECK(r.script.commented_out[0].text == "echo ipsec static add filter filterlist = dead >> c:/temp.ips");
}

TEST_CASE("set defines variables; %VAR% expands and maps to its `%`") {
    const auto r =
        run("set Xsp=ProtectSupplicant\n"
            "set N=NoAccess\n"
            "set Nsfl3848=%N%FL3848\n"
            "set \"QUOTED=a b\" ignored\n"
            "set trail=x   \n"
            "netsh ipsec static add policy name=%xsp% list=%NSFL3848% q=\"%Quoted%\" t=%trail%.\n");
    REQUIRE(r.texts() ==
            Lines{"netsh ipsec static add policy name=ProtectSupplicant list=NoAccessFL3848 q=\"a b\" t=x."});
    const auto& line = r.script.commands[0];
    CHECK(origin_of(line, "ProtectSupplicant") == std::pair{6, 36});  // the `%` of %xsp%
    CHECK(origin_of(line, "Supplicant") == std::pair{6, 36});
    CHECK(origin_of(line, " list=") == std::pair{6, 41});  // right after %xsp%
    CHECK(r.diagnostics.all().empty());
}

TEST_CASE("--define wins over set; set /a, set /p, set X= and setlocal") {
    const auto r =
        run("setlocal\n"
            "set PSK=fromscript\n"
            "set /a COUNT=1+1\n"
            "set /p ANSWER=Continue?\n"
            "set GONE=x\n"
            "set GONE=\n"
            "netsh a psk=%PSK%\n"
            "netsh b %COUNT% %ANSWER% %GONE%\n"
            "endlocal\n",
            {{"psk", "fromdefine"}});
    REQUIRE(r.texts() == Lines{"netsh a psk=fromdefine", "netsh b %COUNT% %ANSWER% %GONE%"});
    CHECK(r.with_code("E-BATCH-UNDEFINED-VARIABLE").size() == 3);
}

TEST_CASE("an undefined variable is an error naming it; the line keeps the reference") {
    const auto r = run("ipsec -f \"0+*:445:TCP\" -a p:\"%PSK%\" -1s 3DES-SHA-2 -p %PSK%\nnetsh x=%Other%\n");
    REQUIRE(r.texts() == Lines{"ipsec -f \"0+*:445:TCP\" -a p:\"%PSK%\" -1s 3DES-SHA-2 -p %PSK%", "netsh x=%Other%"});
    const auto errors = r.with_code("E-BATCH-UNDEFINED-VARIABLE");
    REQUIRE(errors.size() == 2);  // once per variable per line
    CHECK(errors[0]->severity == Severity::Error);
    CHECK(errors[0]->message.find("%PSK%") != std::string::npos);
    CHECK(errors[0]->message.find("--define PSK=VALUE") != std::string::npos);
    CHECK(errors[0]->where.line == 1);
    CHECK(errors[0]->where.column == 30);
    CHECK(errors[1]->message.find("--define Other=VALUE") != std::string::npos);
    CHECK(origin_of(r.script.commands[0], "%PSK%") == std::pair{1, 30});
}

TEST_CASE("%% is a literal percent; a lone % stays") {
    CHECK(run("netsh a=50%% b=10%\n").texts() == Lines{"netsh a=50% b=10%"});
    CHECK(run("netsh a=50%% b=10%\n").diagnostics.all().empty());
}

TEST_CASE("a set from an undefined variable is reported where the variable is used") {
    // #21: IP_CIBLES is first set from undefined variables, then overwritten.
    const auto quiet =
        run("\tset IP_CIBLES=%IP_SUBNET%/%MASK_SUBNET%\n\tset IP_CIBLES=*\nipsec -f \"0+%IP_CIBLES%:445:TCP\"\n");
    CHECK(quiet.texts() == Lines{"ipsec -f \"0+*:445:TCP\""});
    CHECK(quiet.diagnostics.all().empty());

    const auto used = run("set TARGET=%SUBNET%/24\nnetsh dstaddr=%TARGET%\n");
    CHECK(used.texts() == Lines{"netsh dstaddr=%TARGET%"});
    const auto errors = used.with_code("E-BATCH-UNDEFINED-VARIABLE");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->where.line == 2);
    CHECK(errors[0]->message.find("%SUBNET%") != std::string::npos);
    CHECK(errors[0]->message.find("--define SUBNET=VALUE") != std::string::npos);
    CHECK(errors[0]->message.find("line 1") != std::string::npos);
}

TEST_CASE("for ... do ( %%i ) runs once, with %%i from --define") {
    const std::string script =
        "for /f %%i in (%temp%\\out.csv) do ( \n"
        "netsh ipsec static add filter desc=%%i filterlist=China_block srcaddr=%%i\n"
        ")\n"
        "netsh after\n";
    const auto without = run(script);
    REQUIRE(without.texts() ==
            Lines{"netsh ipsec static add filter desc=%%i filterlist=China_block srcaddr=%%i", "netsh after"});
    const auto errors = without.with_code("E-BATCH-UNDEFINED-VARIABLE");
    REQUIRE(errors.size() == 1);  // once per variable per line
    CHECK(errors[0]->message.find("%%i") != std::string::npos);
    CHECK(errors[0]->message.find("--define i=VALUE") != std::string::npos);
    CHECK(errors[0]->where.line == 2);
    CHECK(errors[0]->where.column == 36);
    CHECK(without.with_code("N-BATCH-LOOP-ONCE").size() == 1);

    const auto with = run(script, {{"i", "1.2.3.4"}});
    REQUIRE(with.texts() ==
            Lines{"netsh ipsec static add filter desc=1.2.3.4 filterlist=China_block srcaddr=1.2.3.4", "netsh after"});
    CHECK(with.diagnostics.error_count() == 0);
    CHECK(origin_of(with.script.commands[0], "1.2.3.4 filterlist") == std::pair{2, 36});
    const auto notes = with.with_code("N-BATCH-LOOP-ONCE");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]->severity == Severity::Note);
    CHECK(notes[0]->where.line == 1);
}

TEST_CASE("for on one line, tokens= letters, nested loops, %i typed as at a prompt") {
    CHECK(run("for %%i in (a b) do netsh x=%%i && echo %%i\n", {{"i", "v"}}).texts() == Lines{"netsh x=v"});
    CHECK(run("for /f \"tokens=1,2\" %%a in (f.txt) do netsh %%a %%b\n", {{"a", "1"}, {"b", "2"}}).texts() ==
          Lines{"netsh 1 2"});
    CHECK(run("for %i in (x) do netsh srcaddr=%i dstaddr=me\n", {{"i", "1.1.1.1"}}).texts() ==
          Lines{"netsh srcaddr=1.1.1.1 dstaddr=me"});
    // #21: nested for /f over `reg query ^| findstr`.
    const auto r =
        run("for /f \"tokens=1 delims=\" %%a in ('reg query HKLM\\x ^| findstr ipsecPolicy') do (\n"
            "\n"
            "\tfor /f \"tokens=3 delims=\t\" %%b in ('reg query %%a ^| findstr ipsecName') do (\n"
            "\t\tipsec -w REG -p \"%%b\" -o > NUL\n"
            "\t)\n"
            ")\n",
            {{"b", "Old Policy"}});
    CHECK(r.texts() == Lines{"ipsec -w REG -p \"Old Policy\" -o"});
    CHECK(r.with_code("N-BATCH-LOOP-ONCE").size() == 2);
    // Prose that starts like a for stays a line.
    CHECK(run("For example, run this\n").texts() == Lines{"For example, run this"});
}

TEST_CASE("call :label binds %1..%9; exit /b returns; a top-level exit /b ends the script (#93)") {
    const auto r =
        run("set Xsp=ProtectSupplicant\n"
            "set N=NoAccess\n"
            "set Nsfl3848=%N%FL3848\n"
            ":Start\n"
            "netsh ipsec static add policy name=%Xsp%\n"
            "call :StartX any 3848 %Nsfl3848% X Y block Z\n"
            "netsh ipsec static set policy name=%Xsp% assign=y\n"
            "exit /b 0\n"
            ":StartX\n"
            "netsh ipsec static add filter dstaddr=me protocol=UDP srcaddr=%1 dstport=%2 filterlist=%3\n"
            "netsh ipsec static add filteraction name=%4 action=%5 \n"
            "netsh ipsec static add rule policy=%Xsp% filterlist=%3 filteraction=%4 name=%6 seven=%7 none=%8.\n"
            "exit /b 0\n"
            ":Pause\n"
            "netsh ipsec static set policy name=%Xsp% assign=n\n"
            "exit /b 0\n");
    REQUIRE(
        r.texts() ==
        Lines{
            "netsh ipsec static add policy name=ProtectSupplicant",
            "netsh ipsec static add filter dstaddr=me protocol=UDP srcaddr=any dstport=3848 filterlist=NoAccessFL3848",
            "netsh ipsec static add filteraction name=X action=Y",
            "netsh ipsec static add rule policy=ProtectSupplicant filterlist=NoAccessFL3848 filteraction=X "
            "name=block seven=Z none=.",
            "netsh ipsec static set policy name=ProtectSupplicant assign=y"});
    CHECK(origin_of(r.script.commands[1], "3848") == std::pair{10, 74});  // the `%` of %2
    CHECK(r.diagnostics.all().empty());
}

TEST_CASE("call: %0, %*, %~1, shift, recursion bound, other files") {
    CHECK(run("call :s \"a b\" c\nexit /b\n:s\nnetsh %0 [%*] %~1 %1\nshift\nnetsh %1\n").texts() ==
          Lines{"netsh :s [\"a b\" c] a b \"a b\"", "netsh c"});
    const auto other = run("call other.bat x\ncall netsh ipsec static delete all\nnetsh after\n");
    CHECK(other.texts() == Lines{"netsh after"});
    CHECK(other.with_code("W-BATCH-CALL-NOT-FOLLOWED").size() == 2);
    const auto missing = run("call :nowhere\nnetsh after\n");
    CHECK(missing.texts() == Lines{"netsh after"});
    CHECK(missing.with_code("W-BATCH-UNKNOWN-LABEL").size() == 1);
    const auto recursive = run(":again\nnetsh x\ncall :again\n");
    CHECK(recursive.with_code("E-BATCH-LOOP").size() == 1);
    CHECK(recursive.script.commands.size() <= 200);
}

TEST_CASE("call set expands twice: the list-building idiom (#96)") {
    const std::string script =
        "FOR /f \"skip=1 delims= \" %%i IN (list.txt) DO call set list=%%list%% %%i\n"
        "ipseccmd -w reg -p ipsec:1 -r filterlist -f %list% -n BLOCK -x >nul\n";
    const auto with = run(script, {{"i", "1.2.3.4"}});
    CHECK(with.texts() == Lines{"ipseccmd -w reg -p ipsec:1 -r filterlist -f  1.2.3.4 -n BLOCK -x"});
    CHECK(with.diagnostics.error_count() == 0);
    const auto without = run(script);
    CHECK(without.texts() == Lines{"ipseccmd -w reg -p ipsec:1 -r filterlist -f %list% -n BLOCK -x"});
    const auto errors = without.with_code("E-BATCH-UNDEFINED-VARIABLE");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->where.line == 2);
    CHECK(errors[0]->message.find("--define i=VALUE") != std::string::npos);
    CHECK(errors[0]->message.find("--define list=VALUE") != std::string::npos);
}

TEST_CASE("if: the first branch runs, once-per-if note; else is skipped") {
    const auto r = run("if errorlevel 1 ( netsh ipsec static delete policy name = SECCPP && echo deleted )\n");
    CHECK(r.texts() == Lines{"netsh ipsec static delete policy name = SECCPP"});
    const auto notes = r.with_code("N-BATCH-CONDITION");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0]->message.find("errorlevel 1") != std::string::npos);

    const auto blocks =
        run("if not exist c:\\x.txt (\n"
            "  netsh a\n"
            "  netsh b\n"
            ") else (\n"
            "  netsh c\n"
            ")\n"
            "if /i \"%1\" == \"\" netsh d & netsh e\n"
            "if %1==x netsh f\n"
            "if a EQU b (netsh g) else netsh h\n"
            "netsh i\n",
            {{"1", "x"}});
    CHECK(blocks.texts() == Lines{"netsh a", "netsh b", "netsh d", "netsh e", "netsh f", "netsh g", "netsh i"});
    CHECK(blocks.with_code("N-BATCH-CONDITION").size() == 4);
    CHECK(blocks.diagnostics.error_count() == 0);

    // Run twice (a subroutine called twice): still one note per if.
    CHECK(run("call :s\ncall :s\nexit /b\n:s\nif exist x netsh a\n").with_code("N-BATCH-CONDITION").size() == 1);
}

TEST_CASE("exit and goto on a condition are not followed") {
    const auto r =
        run("netsh ipsec static exportpolicy file = ./ipsec.ipsec && echo ok && timeout /T 3 /NOBREAK && exit /b\n"
            "netsh a || exit 1\n"
            "if errorlevel 1 goto fail\n"
            "if errorlevel 1 (\n  exit /b 1\n)\n"
            "netsh b\n"
            "exit /b 0\n"
            ":fail\n"
            "netsh never\n");
    CHECK(r.texts() == Lines{"netsh ipsec static exportpolicy file = ./ipsec.ipsec", "netsh a", "netsh b"});
    CHECK(r.with_code("N-BATCH-CONDITIONAL-JUMP").size() == 4);
}

TEST_CASE("goto jumps, goto :eof and exit end the script") {
    CHECK(run("goto skip\nnetsh skipped\n:skip\nnetsh a\ngoto :eof\nnetsh b\n").texts() == Lines{"netsh a"});
    CHECK(run("netsh a\nexit\nnetsh b\n").texts() == Lines{"netsh a"});
    CHECK(run("goto:END\nnetsh x\n:end\nnetsh y\n").texts() == Lines{"netsh y"});
    // exit in a subroutine ends everything; exit /b only the subroutine
    CHECK(run("call :s\nnetsh after\nexit /b\n:s\nnetsh in\nexit\n").texts() == Lines{"netsh in"});
    const auto unknown = run("netsh a\ngoto nowhere\nnetsh b\n");
    CHECK(unknown.texts() == Lines{"netsh a"});
    CHECK(unknown.with_code("W-BATCH-UNKNOWN-LABEL").size() == 1);
}

TEST_CASE("a goto loop is stopped") {
    // Nothing changes between passes: stopped at the second pass.
    const auto same = run(":loop\nnetsh ipsec static add policy name=x\ntimeout /t 5\ngoto loop\n");
    CHECK(same.with_code("E-BATCH-LOOP").size() == 1);
    CHECK(same.texts() == Lines{"netsh ipsec static add policy name=x"});
    // A variable grows on every pass: stopped by the step budget.
    std::string body = ":loop\nset x=%x%a\n";
    for (int i = 0; i < 98; ++i) body += "netsh ipsec static add filter filterlist=f\n";
    body += "goto loop\n";
    const auto growing = run(body);
    CHECK(growing.with_code("E-BATCH-LOOP").size() == 1);
    CHECK(growing.script.commands.size() < 100000);
    CHECK(growing.script.commands.size() > 90000);
}

TEST_CASE("a long straight-line script is not cut by the step budget") {
    std::string body;
    for (int i = 0; i < 120000; ++i) body += "add filter filterlist=f srcaddr=1.1.1.1\n";
    const auto r = run(body);
    CHECK(r.script.commands.size() == 120000);
    CHECK(r.diagnostics.all().empty());
}

TEST_CASE("unbalanced parentheses") {
    const auto open = run("if exist x (\nnetsh a\nnetsh b\n");
    CHECK(open.texts() == Lines{"netsh a", "netsh b"});
    const auto errors = open.with_code("E-BATCH-PARENTHESES");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->where.line == 1);
    CHECK(errors[0]->where.column == 12);  // the `(`
    const auto close = run("netsh a\n)\nnetsh b\n");
    CHECK(close.texts() == Lines{"netsh a", "netsh b"});
    CHECK(close.with_code("E-BATCH-PARENTHESES").size() == 1);
    // A `)` inside a command at top level is text (#19's `(주)` description).
    CHECK(run("ipsec static add policy name=x (주)스마일 assign=yes\n").diagnostics.all().empty());
    CHECK(run("for %%i in (a b do netsh x\n").with_code("E-BATCH-PARENTHESES").size() == 1);
    CHECK(run("for %%i in (a b) netsh x\n").with_code("E-BATCH-SYNTAX").size() == 1);
    CHECK(run("if exist x\n").with_code("E-BATCH-SYNTAX").size() == 1);
}

TEST_CASE("nesting is bounded so that a hostile file cannot exhaust the stack") {
    const auto r = run(std::string(5000, '(') + "netsh x\n");
    CHECK(r.with_code("E-BATCH-SYNTAX").size() == 1);
    CHECK(r.diagnostics.count("E-BATCH-PARENTHESES") > 0);
}

TEST_CASE("lines the layer does not consume pass through untouched") {
    const auto r =
        run("cls\n"
            "title Block ports\n"
            "chcp 65001 >nul\n"
            "color 0a\n"
            "ver\n"
            "pause\n"
            "timeout /t 3 /nobreak > nul\n"
            "setlocal EnableExtensions\n"
            "   \t \n"
            "\n"
            "pushd ipsec static\n"
            "set store location=local\n"
            "set config property=ipsecdiagnostics value=7\n"
            "add filter filterlist=\"DNS resolution\" protocol=TCP   srcaddr=ME\n"
            "popd\n"
            "del $.t\n"
            "reg add HKLM\\x /v y /f\n"
            "Policy=Test\n"
            "ipseccmd  -w REG -p \"ipsec\" -x   \n"
            "aCommands(0) = \"-w REG -p \"\"MyPol\"\" -y -o\"   'Deletes \"MyPol\".\n"
            "endlocal\n");
    CHECK(r.texts() == Lines{"pushd ipsec static", "set store location=local",
                             "set config property=ipsecdiagnostics value=7",
                             "add filter filterlist=\"DNS resolution\" protocol=TCP   srcaddr=ME", "popd", "del $.t",
                             "reg add HKLM\\x /v y /f", "Policy=Test", "ipseccmd  -w REG -p \"ipsec\" -x",
                             "aCommands(0) = \"-w REG -p \"\"MyPol\"\" -y -o\"   'Deletes \"MyPol\"."});
    for (const auto& c : r.script.commands) CHECK(every_byte_placed(c));
    CHECK(r.diagnostics.all().empty());
}

TEST_CASE("set with a blank before `=` defines a name with the blank, as cmd does") {
    const auto r = run("set X = y\nnetsh %X%\n");
    CHECK(r.with_code("W-BATCH-SET-SPACE").size() == 1);
    CHECK(r.with_code("E-BATCH-UNDEFINED-VARIABLE").size() == 1);
}

TEST_CASE("expansion forms: substrings, replacement, %~dp0, script arguments, delayed expansion") {
    CHECK(run("set X=abcdef\nnetsh %X:~0,2% %X:~-2% %X:~1,-1% %X:cd=-% %X:*c=%\n").texts() ==
          Lines{"netsh ab ef bcde ab-ef def"});
    CHECK(run("netsh -f %~dp0rules.txt %~nx0\n").texts() == Lines{"netsh -f rules.txt script.bat"});
    const auto args = run("netsh %1 %~2\n", {{"1", "one"}, {"2", "\"two\""}});
    CHECK(args.texts() == Lines{"netsh one two"});
    const auto missing = run("netsh %1\n");
    REQUIRE(missing.with_code("E-BATCH-UNDEFINED-VARIABLE").size() == 1);
    CHECK(missing.with_code("E-BATCH-UNDEFINED-VARIABLE")[0]->message.find("--define 1=VALUE") != std::string::npos);
    CHECK(run("netsh %~z1\n", {{"1", "f"}}).with_code("E-BATCH-UNSUPPORTED-EXPANSION").size() == 1);
    CHECK(run("setlocal EnableDelayedExpansion\nfor %%i in (x) do (\nset ip=%%i\nnetsh srcaddr=!ip!\n)\n",
              {{"i", "9.9.9.9"}})
              .texts() == Lines{"netsh srcaddr=9.9.9.9"});
    CHECK(run("netsh name=Hello!\n").texts() == Lines{"netsh name=Hello!"});
}

TEST_CASE("empty input and blank-only input give no commands") {
    CHECK(run("").script.commands.empty());
    CHECK(run("\n\n  \n").script.commands.empty());
    CHECK(run("&&\n|\n&").script.commands.empty());
}

// ---------------------------------------------------------------------------
// The real-world corpus: the layer must never crash or hang on any sample.

namespace {

// WINIPSEC_CORPUS_DIR, else ../shared/corpus/windows next to the source tree:
// found from __FILE__ (relative to the build directory, where meson runs
// tests) or by walking up from the working directory.
std::filesystem::path corpus_dir() {
    if (const char* env = std::getenv("WINIPSEC_CORPUS_DIR"); env && *env) return env;
    const auto tail = std::filesystem::path("shared") / "corpus" / "windows";
    const auto beside_source = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / tail;
    if (std::filesystem::is_directory(beside_source)) return beside_source;
    auto dir = std::filesystem::current_path();
    for (int up = 0; up < 6 && dir.has_parent_path() && dir != dir.parent_path(); ++up, dir = dir.parent_path())
        if (std::filesystem::is_directory(dir / tail)) return dir / tail;
    return beside_source;
}

// As tests/corpus/corpus_sample.cpp: blank the two header lines in the file's
// own encoding, so line numbers stay those of the sample.
std::string blank_header(std::string bytes) {
    const bool utf16le = bytes.starts_with("\xFF\xFE");
    std::size_t pos = utf16le ? 2 : (bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0);
    const std::size_t unit = utf16le ? 2 : 1;
    for (int line = 0; line < 2; ++line) {
        std::size_t nl = pos;
        while (nl < bytes.size() &&
               !(bytes[nl] == '\n' && (!utf16le || (nl + 1 < bytes.size() && bytes[nl + 1] == '\0'))))
            nl += unit;
        if (nl >= bytes.size()) return bytes;
        std::size_t keep_from = nl;
        if (nl >= pos + unit && bytes[nl - unit] == '\r') keep_from = nl - unit;
        bytes.erase(pos, keep_from - pos);
        pos += (nl - keep_from) + unit;
    }
    return bytes;
}

}  // namespace

TEST_CASE("every corpus sample goes through the layer") {
    const auto dir = corpus_dir();
    if (!std::filesystem::is_directory(dir)) {
        MESSAGE("corpus not found at " << dir.string() << "; skipped");
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 40);
    for (const auto& path : files) {
        CAPTURE(path.filename().string());
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto text = winipsec::decode_bytes(blank_header(std::move(bytes)), path.filename().string());
        REQUIRE(text);
        Diagnostics diagnostics;
        const auto script = winipsec::read_batch_script(*text, {}, diagnostics);
        for (const auto& c : script.commands) {
            CHECK(every_byte_placed(c));
            CHECK_FALSE(c.text.empty());
            CHECK(c.start().line >= 3);  // the blanked header holds no command
        }
        CHECK(diagnostics.count("E-BATCH-LOOP") == 0);
        CHECK(diagnostics.count("E-BATCH-PARENTHESES") == 0);
    }
}

TEST_CASE("corpus #93: the subroutine model runs in call order") {
    const auto path = corpus_dir() / "93-unattrib-xcanwin-supplicant-call-subroutine-params.netsh.txt";
    if (!std::filesystem::exists(path)) return;
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto text = winipsec::decode_bytes(blank_header(std::move(bytes)), "93");
    REQUIRE(text);
    Diagnostics diagnostics;
    const auto script = winipsec::read_batch_script(*text, {}, diagnostics);
    REQUIRE(script.commands.size() == 14);  // policy, 4 x (filter, action, rule), assign; :Pause/:Stop never run
    CHECK(script.commands[1].text ==
          "netsh ipsec static add filter dstaddr=me protocol=UDP srcaddr=any dstport=3848 filterlist=NoAccessFL3848");
    CHECK(script.commands[13].text == "netsh ipsec static set policy name=ProtectSupplicant assign=y");
    CHECK(diagnostics.all().empty());
}
