// From registry keys to the model: references followed by class and GUID,
// the assigned policy, the Cache (domain) store, and what is reported when a
// store is incomplete or holds what winipsec does not understand.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "plugins/registry/registry_text.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

namespace {

const std::string filter_key = "ipsecFilter{5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00}";
const std::string action_key = "ipsecNegotiationPolicy{7C2E3F40-5A66-4D88-8B22-1F3E4D5C6B70}";
const std::string rule_key = "ipsecNFA{0B3B6B6E-2D4A-4C61-A0F7-51A1C1B2C3D4}";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The [key] block whose key ends in `leaf`, up to the next block.
std::string without_key(std::string text, std::string_view leaf) {
    const auto at = text.find(std::string(leaf) + "]\r\n");
    REQUIRE(at != std::string::npos);
    const auto begin = text.rfind("\r\n[", at) + 2;
    const auto end = text.find("\r\n[", at);
    text.erase(begin, end == std::string::npos ? std::string::npos : end + 2 - begin);
    return text;
}

// Adds `lines` to the block of the key ending in `leaf`.
std::string with_values(std::string text, std::string_view leaf, std::string_view lines) {
    const auto at = text.find(std::string(leaf) + "]\r\n");
    REQUIRE(at != std::string::npos);
    text.insert(at + leaf.size() + 3, lines);
    return text;
}

std::string replace_blob(std::string text, std::string_view leaf, const Bytes& blob) {
    const auto at = text.find(std::string(leaf) + "]\r\n");
    REQUIRE(at != std::string::npos);
    const auto data = text.find("\"ipsecData\"=", at);
    const auto end = text.find("\r\n\"", data);
    text.replace(data, end - data, "\"ipsecData\"=" + reg_hex(blob));
    return text;
}

void put_u32(Bytes& b, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

void put_text(Bytes& b, std::string_view text) {
    auto units = utf8_to_utf16le(text);
    units.insert(units.end(), {0, 0});
    put_u32(b, static_cast<std::uint32_t>(units.size()));
    b.insert(b.end(), units.begin(), units.end());
}

// An NFA blob: certificate authentication from `ca`, a tunnel to `tunnel`
// (0 = none), LAN only, with a Vista+ flag section saying `flags`.
Bytes nfa_blob(std::string_view ca, std::array<std::uint8_t, 4> tunnel, std::uint32_t flags) {
    Bytes data;
    put_u32(data, 1);
    put_u32(data, 3);
    auto units = utf8_to_utf16le(ca);
    units.insert(units.end(), {0, 0});
    put_u32(data, static_cast<std::uint32_t>(units.size()));
    data.insert(data.end(), units.begin(), units.end());
    put_u32(data, 0xFFFFFFFEu);
    put_text(data, "");
    data.insert(data.end(), tunnel.begin(), tunnel.end());
    put_u32(data, tunnel != std::array<std::uint8_t, 4>{} ? 1 : 0);
    put_u32(data, 1);
    put_text(data, "");
    Bytes b = hex_bytes("00 ac bb 11 8d 49 d1 11 86 39 00 a0 24 8d 30 21");
    put_u32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    b.insert(b.end(), 15, 0x01);
    b.push_back(0x02);
    put_u32(b, 1);
    put_u32(b, flags);
    b.push_back(0);
    return b;
}

const Rule& first_rule(const Imported& s) {
    REQUIRE(!s.store.policies.empty());
    REQUIRE(!s.store.policies[0].rules.empty());
    return s.store.policies[0].rules[0];
}

}  // namespace

TEST_CASE("keys in any order, IPSEC/IPSec spellings and lower-case GUIDs resolve alike") {
    std::string text = e19_reg_file();
    // references spelled as Windows 10 writes them, objects listed backwards
    text = replace_all(text, "SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\IPSec",
                       "SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\IPSEC");
    text = replace_all(text, "{5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00}", "{5a8c1d20-3c44-4b2c-9a11-7e2f0d9c1b00}");
    const auto s = import_bytes(text);
    CHECK(s.codes() == "");
    CHECK(first_rule(s).filter_list == "L2TP server");
    CHECK(s.store.filter_lists.at(0).guid == "{5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00}");
}

TEST_CASE("a reference to an object that is not in the file: the rule is left out, with the reference's place") {
    const auto s = import_bytes(without_key(e19_reg_file(), filter_key));
    // the reference, then the rule that is left without a list
    CHECK(s.codes() == "E-REG-DANGLING-REFERENCE:2");
    CHECK(s.first("E-REG-DANGLING-REFERENCE")->message.find(filter_key) != std::string::npos);
    REQUIRE(s.store.policies.size() == 1);
    CHECK(s.store.policies[0].rules.size() == 1);  // the default response rule only
}

TEST_CASE("ActivePolicy naming a policy that is not there assigns nothing") {
    const auto s =
        import_bytes(replace_all(e19_reg_file(), "Local\\\\ipsecPolicy{F0A3E7E0", "Local\\\\ipsecPolicy{F0A3E7E1"));
    CHECK(s.codes() == "W-REG-ACTIVE-POLICY-MISSING:1");
    CHECK_FALSE(s.store.assigned_policy());
}

TEST_CASE("the Cache store is the domain policy: assigned by Group Policy, and it wins over a local one") {
    std::string cache = replace_all(e19_reg_file(), "\\Policy\\Local", "\\Policy\\Cache");
    cache = replace_all(cache, "\"ActivePolicy\"", "\"Unused\"");
    cache = replace_all(cache, "\"Unused\"=", "; ");
    const auto s = import_bytes(cache);
    CHECK(s.codes() == "N-REG-STORE-LOCATION:1");
    REQUIRE(s.store.assigned_policy());
    CHECK(s.store.assigned_policy()->location == StoreLocation::Domain);
}

TEST_CASE("values and keys the store does not use are reported where they are") {
    std::string text = with_values(e19_reg_file(), filter_key, "\"Extra\"=dword:00000001\r\n");
    text = replace_all(text, "\"ClassName\"=\"ipsecNFA\"", "\"ClassName\"=\"ipsecFilter\"");  // both NFAs
    text += "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\Stray]\r\n\r\n";
    text += "[HKEY_CURRENT_USER\\Software\\Other]\r\n\"x\"=dword:1\r\n";
    const auto s = import_bytes(text);
    CHECK(s.codes() == "N-REG-IGNORED:1 W-REG-NOT-UNDERSTOOD:2 W-REG-UNKNOWN-KEY:1 W-REG-UNKNOWN-VALUE:1");
    CHECK(s.first("W-REG-UNKNOWN-VALUE")->message.find("'Extra'") != std::string::npos);
    REQUIRE(s.first("W-REG-NOT-UNDERSTOOD"));
    CHECK(s.first("W-REG-NOT-UNDERSTOOD")->message.find("className 'ipsecFilter'") != std::string::npos);
    CHECK(s.store.policies.at(0).rules.size() == 2);
}

TEST_CASE("inbound pass-through and an unknown action GUID") {
    const auto passthrough = import_bytes(replace_all(
        e19_reg_file(), "{8A171DD3-77E3-11D1-8659-A04F00000000}\"\r\n\"ipsecNegotiationPolicyType\"=\"{62F49E10",
        "{3f91a81a-7647-11d1-864d-d46a00000000}\"\r\n\"ipsecNegotiationPolicyType\"=\"{62F49E10"));
    CHECK(passthrough.codes() == "");
    CHECK(passthrough.store.filter_actions.at(0).inbound_passthrough);
    CHECK(passthrough.store.filter_actions.at(0).action == ActionKind::Negotiate);

    const auto unknown = import_bytes(replace_all(
        e19_reg_file(), "{8A171DD3-77E3-11D1-8659-A04F00000000}\"\r\n\"ipsecNegotiationPolicyType\"=\"{62F49E10",
        "{00000000-77E3-11D1-8659-A04F00000000}\"\r\n\"ipsecNegotiationPolicyType\"=\"{62F49E10"));
    CHECK(unknown.codes() == "E-REG-UNSUPPORTED:1");
    CHECK(unknown.store.filter_actions.empty());  // store checks later report the rule that names it
}

TEST_CASE("two filter lists with one name: the second is renamed with its GUID, and rules follow it") {
    std::string text = e19_reg_file();
    const auto at =
        text.find("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local\\" + filter_key);
    const auto end = text.find("\r\n[", at);
    std::string copy = text.substr(at, end + 2 - at);
    copy = replace_all(copy, "5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00", "5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B01");
    text.insert(at, copy);  // the copy comes first, so the rule's list is the renamed one
    const auto s = import_bytes(text);
    CHECK(s.codes() == "W-REG-DUPLICATE-NAME:1");
    CHECK(first_rule(s).filter_list == "L2TP server {5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00}");
    CHECK(s.store.find_filter_list(first_rule(s).filter_list));
}

TEST_CASE("a certificate rule through a tunnel, LAN only, with the Vista+ certificate-mapping flag") {
    const auto s = import_bytes(
        replace_blob(e19_reg_file(), rule_key, nfa_blob("DC=com, DC=contoso, CN=corp-CA", {198, 51, 100, 7}, 1)));
    CHECK(s.codes() == "");
    const Rule& r = first_rule(s);
    CHECK(r.connection_type == ConnectionType::Lan);
    REQUIRE(r.tunnel_endpoint);
    CHECK(r.tunnel_endpoint->to_string() == "198.51.100.7");
    REQUIRE(r.authentication.size() == 1);
    CHECK(r.authentication[0].kind == AuthKind::Certificate);
    CHECK(r.authentication[0].certificate_ca == "DC=com, DC=contoso, CN=corp-CA");
    CHECK(r.authentication[0].certificate_map);
    CHECK_FALSE(r.authentication[0].exclude_ca_name);
}

TEST_CASE("a Vista+ V2 filter section is used where it replaces the V1 records, and reported as unconfirmed") {
    const auto s = import_bytes(replace_blob(e19_reg_file(), filter_key, v2_filter_list()));
    CHECK(s.codes() == "W-REG-UNCONFIRMED-LAYOUT:1");
    const auto& filters = s.store.filter_lists.at(0).filters;
    REQUIRE(filters.size() == 1);
    CHECK(filters[0].source.to_string() == "10.0.0.1-10.0.0.99");
    CHECK(filters[0].destination_port == 22);
}

TEST_CASE("an offer without algorithms is reported, not guessed to mean 'fall back to clear'") {
    Bytes action = vector::filter_action();
    action[40] = 0;  // AlgoCount of the one offer
    const auto s = import_bytes(replace_blob(e19_reg_file(), action_key, action));
    CHECK(s.codes() == "W-REG-NOT-UNDERSTOOD:1");
    CHECK(s.first("W-REG-NOT-UNDERSTOOD")->message.find("allow unsecured communication") != std::string::npos);
    CHECK_FALSE(s.store.filter_actions.at(0).fallback_to_clear);
    CHECK(s.store.filter_actions.at(0).offers.empty());
}

TEST_CASE("a pre-shared key never appears in a diagnostic") {
    Bytes rule = vector::rule();
    rule[24] = 9;  // authentication type 9: unknown
    const auto s = import_bytes(replace_blob(e19_reg_file(), rule_key, rule));
    CHECK(s.codes() == "E-REG-UNSUPPORTED:1");
    for (const auto& d : s.diagnostics.all()) CHECK(d.message.find("secret") == std::string::npos);
}

TEST_CASE("a file without any IPsec object says where the store is") {
    const auto s = import_bytes("REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\X]\n\"a\"=\"b\"\n");
    CHECK(s.codes() == "N-REG-IGNORED:1 W-REG-NOT-UNDERSTOOD:1");
    CHECK(s.first("W-REG-NOT-UNDERSTOOD")->message.find("Policy\\Local") != std::string::npos);
}
