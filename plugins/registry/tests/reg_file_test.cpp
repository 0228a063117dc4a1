// Reading regedit exports (.reg) into a registry tree: the layouts regedit
// writes and the hand edits seen in the corpus (#38-#41).
#include <doctest/doctest.h>

#include "import/decoded_text.hpp"
#include "plugins/registry/reg_file_parser.hpp"
#include "plugins/registry/registry_text.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

namespace {

struct Read {
    RegistryTree tree;
    Diagnostics diagnostics;
    bool accepted = false;

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

Read read(std::string_view bytes) {
    auto text = decode_bytes(bytes, "t.reg");
    REQUIRE(text);
    Read r;
    r.accepted = read_reg_file(*text, r.tree, r.diagnostics);
    return r;
}

std::string utf16_file(std::string_view utf8) {
    const auto units = utf8_to_utf16le(utf8);
    return std::string("\xFF\xFE") + std::string(units.begin(), units.end());
}

constexpr std::string_view local = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local";

}  // namespace

TEST_CASE("strings with escapes, dword, @ and the key's spelling kept") {
    const auto r = read(
        "Windows Registry Editor Version 5.00\r\n\r\n"
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local]\r\n"
        "@=\"\"\r\n"
        "\"ActivePolicy\"=\"SOFTWARE\\\\Policies\\\\x \\\"quoted\\\"\"\r\n"
        "\"whenChanged\"=dword:5e139380\r\n");
    CHECK(r.accepted);
    CHECK(r.codes() == "");
    CHECK(r.value(local, "")->text() == "");
    CHECK(r.value(local, "activepolicy")->text() == "SOFTWARE\\Policies\\x \"quoted\"");
    CHECK(r.value(local, "whenChanged")->dword() == 0x5e139380u);
    CHECK(r.tree.find("hklm\\software\\policies\\microsoft\\windows\\IPSEC\\policy\\local")->path == local);
}

TEST_CASE("hex lists continue over lines ending in a backslash; each byte keeps its own line and column") {
    const auto r = read(
        "Windows Registry Editor Version 5.00\n"
        "[HKEY_LOCAL_MACHINE\\K]\n"
        "\"ipsecData\"=hex:63,21,20,\\\n"
        "  22,4c,\\\n"
        "\t4f , d1\n"
        "\"After\"=dword:1\n");
    CHECK(r.codes() == "");
    const RegistryValue* v = r.value("HKLM\\K", "ipsecData");
    REQUIRE(v);
    CHECK(v->type == value_type::binary);
    CHECK(v->data == Bytes{0x63, 0x21, 0x20, 0x22, 0x4c, 0x4f, 0xd1});
    CHECK(v->at_byte(0).line == 3);
    CHECK(v->at_byte(0).column == 17);
    CHECK(v->at_byte(3).line == 4);
    CHECK(v->at_byte(3).column == 3);
    CHECK(v->at_byte(6).line == 5);
    CHECK(v->at_byte(6).column == 7);
    CHECK(r.value("HKLM\\K", "After")->dword() == 1u);
}

TEST_CASE("hex(7) multi-strings, hex(2), hex(b) and an empty hex list") {
    const auto r = read("REGEDIT4\n[HKEY_LOCAL_MACHINE\\K]\n\"B\"=hex(b):01,00,00,00,00,00,00,00\n\"E\"=hex:\n");
    CHECK(r.value("HKLM\\K", "B")->type == value_type::qword);
    CHECK(r.value("HKLM\\K", "E")->data.empty());

    const auto v5 = read("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\K]\n\"M\"=" +
                         reg_multi_sz({"SOFTWARE\\a\\ipsecNFA{1}", "second"}) + "\n\"X\"=hex(2):25,00,41,00,00,00\n");
    CHECK(v5.codes() == "");
    CHECK(v5.value("HKLM\\K", "M")->strings() == std::vector<std::string>{"SOFTWARE\\a\\ipsecNFA{1}", "second"});
    CHECK(v5.value("HKLM\\K", "X")->text() == "%A");
}

TEST_CASE("REGEDIT4 writes hex(7) strings in single bytes; the tree holds them as Windows does") {
    const auto r = read("REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\K]\n\"M\"=hex(7):61,62,00,63,00,00\n");
    CHECK(r.codes() == "");
    CHECK(r.value("HKLM\\K", "M")->strings() == std::vector<std::string>{"ab", "c"});
}

TEST_CASE("a UTF-16LE file with BOM and CRLF, as regedit 5 writes it (corpus #38)") {
    const auto r =
        read(utf16_file("Windows Registry Editor Version 5.00\r\n\r\n"
                        "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\IPSec]\r\n"
                        "\"NoDefaultExempt\"=dword:00000003\r\n\r\n"));
    CHECK(r.codes() == "");
    CHECK(r.value("HKLM\\SYSTEM\\CurrentControlSet\\Services\\IPSec", "NoDefaultExempt")->dword() == 3u);
}

TEST_CASE("[-key] deletes the key and everything below it; \"name\"=- deletes a value") {
    const auto r = read(
        "Windows Registry Editor Version 5.00\n"
        "[HKEY_LOCAL_MACHINE\\A]\n\"x\"=dword:1\n\"y\"=dword:2\n"
        "[HKEY_LOCAL_MACHINE\\A\\B]\n\"z\"=dword:3\n"
        "[HKEY_LOCAL_MACHINE\\C]\n\"w\"=dword:4\n"
        "[-HKEY_LOCAL_MACHINE\\A]\n"
        "[HKEY_LOCAL_MACHINE\\C]\n\"w\"=-\n");
    CHECK(r.codes() == "");
    CHECK_FALSE(r.tree.find("HKLM\\A"));
    CHECK_FALSE(r.tree.find("HKLM\\A\\B"));
    REQUIRE(r.tree.find("HKLM\\C"));
    CHECK(r.tree.find("HKLM\\C")->values.empty());
}

TEST_CASE("; comments are skipped; lines regedit cannot read are reported where they are") {
    const auto r = read(
        "Windows Registry Editor Version 5.00\n"
        "; IPSec policy\n"
        "[HKEY_LOCAL_MACHINE\\K]\n"
        "  ; indented comment\n"
        "garbage line\n"
        "\"a\"=dword:xyz\n"
        "\"b\"=hex:01,0g\n"
        "\"c\"=\"unterminated\n"
        "\"d\"=word:1\n"
        "\"ok\"=dword:00000001\n");
    CHECK(r.codes() ==
          "W-REG-UNREADABLE-LINE E-REG-VALUE-SYNTAX E-REG-VALUE-SYNTAX E-REG-VALUE-SYNTAX "
          "E-REG-VALUE-SYNTAX");
    CHECK(r.diagnostics.all()[0].where.line == 5);
    CHECK(r.diagnostics.all()[2].where.line == 7);
    CHECK(r.diagnostics.all()[2].where.column == 13);  // the g
    CHECK(r.value("HKLM\\K", "ok")->dword() == 1u);
    CHECK_FALSE(r.value("HKLM\\K", "a"));
}

TEST_CASE("the header: text before it is skipped with a warning, no header at all refuses the file") {
    const auto before = read("# source: somewhere\n# kind: reg\nREGEDIT4\n[HKEY_LOCAL_MACHINE\\K]\n\"a\"=dword:1\n");
    CHECK(before.accepted);
    CHECK(before.codes() == "W-REG-TEXT-BEFORE-HEADER");
    CHECK(before.value("HKLM\\K", "a"));

    const auto none = read("[HKEY_LOCAL_MACHINE\\K]\n\"a\"=dword:1\n");
    CHECK_FALSE(none.accepted);
    CHECK(none.codes() == "E-REG-NO-HEADER");
    CHECK(none.tree.size() == 0);
}

TEST_CASE("keys regedit rejects, and values before any key") {
    const auto r = read(
        "Windows Registry Editor Version 5.00\n"
        "\"early\"=dword:1\n"
        "[NOT_A_ROOT\\K]\n\"skipped\"=dword:1\n"
        "[HKEY_LOCAL_MACHINE\\K\n");
    CHECK(r.codes() == "E-REG-VALUE-OUTSIDE-KEY E-REG-BAD-KEY E-REG-VALUE-OUTSIDE-KEY E-REG-BAD-KEY");
    CHECK(r.tree.size() == 0);
}

TEST_CASE("has_reg_file_header accepts a few lines of other text first, for recognise()") {
    CHECK(has_reg_file_header("REGEDIT4\n"));
    CHECK(has_reg_file_header("\n; c\n# source: x\n# kind: y\nWindows Registry Editor Version 5.00\n"));
    CHECK_FALSE(has_reg_file_header("netsh ipsec static add policy name=x\n"));
    CHECK_FALSE(has_reg_file_header("[HKEY_LOCAL_MACHINE\\K]\nREGEDIT4\n"));
}
