// reg.exe command lines (corpus #40) into a registry tree.
#include <doctest/doctest.h>

#include "import/decoded_text.hpp"
#include "plugins/registry/reg_exe_commands.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

namespace {

struct Read {
    RegistryTree tree;
    Diagnostics diagnostics;
    std::size_t commands = 0;

    const RegistryValue* value(std::string_view key, std::string_view name) const {
        const RegistryKey* k = tree.find(key);
        return k ? k->value(name) : nullptr;
    }
    std::string codes() const {
        std::string out;
        for (const auto& d : diagnostics.all()) out += (out.empty() ? "" : " ") + d.code;
        return out;
    }
};

Read read(std::string_view script) {
    auto text = decode_bytes(script, "t.cmd");
    REQUIRE(text);
    Read r;
    r.commands = read_reg_exe_commands(*text, {}, r.tree, r.diagnostics);
    return r;
}

}  // namespace

TEST_CASE("Echo Y | Reg.exe add with every value type corpus #40 uses") {
    const auto r = read(
        "@echo off\r\n"
        "Echo Y | Reg.exe add \"HKLM\\software\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\" /v "
        "\"ActivePolicy\" /t REG_SZ /d \"SOFTWARE\\Policies\\x\\ipsecPolicy{1}\" /f\r\n"
        "Echo Y | Reg.exe add \"HKLM\\software\\K\" /v \"ipsecData\" /t REG_BINARY /d \"632120224c4f\" /f\r\n"
        "Echo Y | Reg.exe add \"HKLM\\software\\K\" /v \"ipsecDataType\" /t REG_DWORD /d \"256\" /f\r\n"
        "reg add HKLM\\software\\K /v Hex /t REG_DWORD /d 0x100 /f\r\n"
        "Echo Y | Reg.exe add \"HKLM\\software\\K\" /v \"ipsecOwnersReference\" /t REG_MULTI_SZ /d "
        "\"SOFTWARE\\a\\ipsecNFA{1}\\0SOFTWARE\\a\\ipsecNFA{2}\" /f\r\n"
        "reg add HKLM\\software\\K /v Sep /t REG_MULTI_SZ /s # /d a#b /f\r\n");
    CHECK(r.codes() == "");
    CHECK(r.commands == 6);
    CHECK(r.value("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local", "ActivePolicy")
              ->text() == "SOFTWARE\\Policies\\x\\ipsecPolicy{1}");
    const RegistryValue* data = r.value("HKLM\\software\\K", "ipsecData");
    REQUIRE(data);
    CHECK(data->type == value_type::binary);
    CHECK(data->data == Bytes{0x63, 0x21, 0x20, 0x22, 0x4c, 0x4f});
    CHECK(data->at_byte(1).line == 3);
    CHECK(data->at_byte(1).column == 75);  // the "21" of the /d string
    CHECK(r.value("HKLM\\software\\K", "ipsecDataType")->dword() == 256u);
    CHECK(r.value("HKLM\\software\\K", "Hex")->dword() == 256u);
    CHECK(r.value("HKLM\\software\\K", "ipsecOwnersReference")->strings() ==
          std::vector<std::string>{"SOFTWARE\\a\\ipsecNFA{1}", "SOFTWARE\\a\\ipsecNFA{2}"});
    CHECK(r.value("HKLM\\software\\K", "Sep")->strings() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("reg delete removes values and keys; reg add without /v creates the key; /ve is the default value") {
    const auto r = read(
        "reg add HKLM\\A /v x /d 1 /f\n"
        "reg add HKLM\\A /v y /d 2 /f\n"
        "reg add HKLM\\A\\B /f\n"
        "reg add HKLM\\C /ve /d dflt /f\n"
        "reg delete HKLM\\A /v x /f\n"
        "reg delete HKLM\\A\\B /f\n");
    CHECK(r.codes() == "");
    CHECK_FALSE(r.value("HKLM\\A", "x"));
    CHECK(r.value("HKLM\\A", "y")->text() == "2");
    CHECK_FALSE(r.tree.find("HKLM\\A\\B"));
    CHECK(r.value("HKLM\\C", "")->text() == "dflt");
}

TEST_CASE("commands reg.exe refuses are errors at their place; others are reported, not followed") {
    const auto r = read(
        "reg add HKLM\\K /v d /t REG_DWORD /d twelve /f\n"
        "reg add HKLM\\K /v b /t REG_BINARY /d abc /f\n"
        "reg add HKLM\\K /v t /t REG_FOO /d 1 /f\n"
        "reg add NOROOT\\K /v x /d 1\n"
        "reg add \\\\server\\HKLM\\K /v x /d 1\n"
        "reg add HKLM\\K /v\n"
        "reg add HKLM\\K /v x /q\n"
        "reg import other.reg\n"
        "reg query HKLM\\K\n");
    CHECK(r.codes() ==
          "E-REG-EXE-SYNTAX E-REG-EXE-SYNTAX E-REG-EXE-SYNTAX E-REG-EXE-SYNTAX E-REG-EXE-SYNTAX E-REG-EXE-SYNTAX "
          "E-REG-EXE-SYNTAX W-REG-NOT-APPLIED N-REG-NO-EFFECT");
    CHECK(r.diagnostics.all()[0].where.column == 37);  // "twelve"
    CHECK(r.diagnostics.all()[0].message.find("'twelve' is no 32-bit number") != std::string::npos);
    CHECK_FALSE(r.value("HKLM\\K", "d"));
}

TEST_CASE("a script without reg commands is an error; count_reg_exe_lines feeds recognise()") {
    const auto r = read("netsh ipsec static add policy name=x\n");
    CHECK(r.commands == 0);
    CHECK(r.codes() == "E-REG-EXE-SYNTAX");

    const auto n = count_reg_exe_lines(
        "@reg add HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local /v a /d b\n"
        "Echo Y | Reg.exe add \"HKLM\\software\\x\" /v a /d b /f\n"
        "regedit /s file.reg\n");
    CHECK(n.commands == 2);
    CHECK(n.ipsec == 1);
}
