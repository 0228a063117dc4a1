#include "registry_test_support.hpp"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "plugins/registry/registry_importer.hpp"
#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry::test {

Bytes hex_bytes(std::string_view text) {
    Bytes out;
    unsigned value = 0;
    int digits = 0;
    for (const char c : text) {
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0) continue;
        value = (value << 4) | static_cast<unsigned>(d);
        if (++digits == 2) {
            out.push_back(static_cast<std::uint8_t>(value));
            value = 0;
            digits = 0;
        }
    }
    return out;
}

namespace {

void put_u32(Bytes& b, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

}  // namespace

namespace vector {

Bytes policy() {
    return hex_bytes("63 21 20 22 4c 4f d1 11 86 3b 00 a0 24 8d 30 21 04 00 00 00 30 2a 00 00 00");
}

Bytes filter_list() {
    return hex_bytes(R"(
b5 20 dc 80 c8 2e d1 11 a8 9e 00 a0 24 8d 30 21 4a 00 00 00 01 00 00 00 02 00 00 00 00 00 02 00
00 00 00 00 02 00 00 00 00 00 48 3c a9 2a e1 1c 3f 46 aa a1 60 d8 18 ab 68 78 01 00 00 00 00 00
00 00 00 00 00 00 cb 00 71 0a ff ff ff ff 00 00 00 00 11 00 00 00 a5 06 00 00 00 00 00 00 00)");
}

Bytes filter_action() {
    return hex_bytes(R"(
b9 20 dc 80 c8 2e d1 11 a8 9e 00 a0 24 8d 30 21 54 00 00 00 01 00 00 00 2c 01 00 00 00 00 00 00
00 00 00 00 00 00 00 00 01 00 00 00 03 00 00 00 01 00 00 00 02 00 00 00 40 00 00 00 08 00 00 00
00 00 00 00 00 00 00 00 70 00 73 00 65 00 63 00 04 00 09 00 01 00 7b 00 a0 f6 c8 00 28 5a c8 00
38 00 31 00 35 00 36 00 00)");
}

Bytes rule() {
    return hex_bytes(R"(
00 ac bb 11 8d 49 d1 11 86 39 00 a0 24 8d 30 21 36 00 00 00 01 00 00 00 01 00 00 00 0e 00 00 00
73 00 65 00 63 00 72 00 65 00 74 00 00 00 fd ff ff ff 02 00 00 00 00 00 00 00 00 00 00 00 00 00
01 00 00 00 02 00 00 00 00 00 00)");
}

namespace {

// One 64-byte security method laid out like the printed first one.
Bytes method(std::uint32_t cipher, std::uint32_t hash, std::uint32_t group) {
    Bytes m;
    put_u32(m, 0);
    put_u32(m, cipher);
    put_u32(m, 0x40);
    put_u32(m, 8);
    put_u32(m, hash);
    put_u32(m, 0x40);
    m.resize(m.size() + 12);
    m.resize(m.size() + 8);  // random function and reserved bytes
    put_u32(m, group);
    put_u32(m, 0);
    put_u32(m, 0);
    put_u32(m, 28800);
    put_u32(m, 0x00460000);  // the garbage Windows leaves here
    return m;
}

}  // namespace

Bytes isakmp() {
    Bytes b = hex_bytes(R"(
b8 20 dc 80 c8 2e d1 11 a8 9e 00 a0 24 8d 30 21 40 01 00 00 ff e6 f9 f9 7c 18 1c 45 9a f5 18 03
84 29 04 92 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 03 00 00 00 40 00 00 00
08 00 00 00 02 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
02 00 00 00 00 00 00 00 00 00 00 00 80 70 00 00 01 00 34 00)");
    for (const auto& m : {method(3, 1, 2), method(1, 2, 1), method(1, 1, 1)}) b.insert(b.end(), m.begin(), m.end());
    b.push_back(0);
    return b;
}

Bytes default_response_rule() {
    Bytes data;
    put_u32(data, 1);  // one method: Kerberos
    put_u32(data, 5);
    put_u32(data, 2);
    data.insert(data.end(), {0, 0});
    put_u32(data, 0xFFFFFFFDu);
    put_u32(data, 2);
    data.insert(data.end(), {0, 0});
    put_u32(data, 0);  // tunnel address
    put_u32(data, 0);  // IsTunnel
    put_u32(data, 0);  // IsActive: off, as the wizard leaves it
    put_u32(data, 2);
    data.insert(data.end(), {0, 0});
    Bytes b = hex_bytes("00 ac bb 11 8d 49 d1 11 86 39 00 a0 24 8d 30 21");
    put_u32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    b.push_back(0);
    return b;
}

Bytes default_response_action() {
    struct Slot {
        std::uint32_t id, secondary, operation;
    };
    const Slot slots[] = {{3, 2, 2}, {3, 1, 2}, {1, 2, 2}, {1, 1, 2}, {2, 0, 1}, {1, 0, 1}};
    Bytes data;
    put_u32(data, 6);
    for (const auto& s : slots) {
        for (int k = 0; k < 4; ++k) put_u32(data, 0);  // lifetimes, flags, PFS
        put_u32(data, 1);
        for (int k = 0; k < 3; ++k) {
            put_u32(data, k == 0 ? s.id : 0x0031);  // garbage in unused slots
            put_u32(data, k == 0 ? s.secondary : 0x0073);
            put_u32(data, k == 0 ? s.operation : 0x00c8);
            put_u32(data, 0x40);
            put_u32(data, 8);
        }
    }
    Bytes b = hex_bytes("b9 20 dc 80 c8 2e d1 11 a8 9e 00 a0 24 8d 30 21");
    put_u32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    b.push_back(0);
    return b;
}

}  // namespace vector

Bytes vista_rule() {
    Bytes b = vector::rule();
    b.pop_back();  // the trailer goes after the sections
    Bytes ext(16, 0x01);
    put_u32(ext, 1);
    put_u32(ext, 1);
    put_u32(ext, 14);
    const auto secret = utf8_to_utf16le(std::string("secret\0", 7));
    ext.insert(ext.end(), secret.begin(), secret.end());
    ext.insert(ext.end(), 15, 0x01);
    ext.push_back(0x02);
    put_u32(ext, 1);
    put_u32(ext, 0);
    b.insert(b.end(), ext.begin(), ext.end());
    b.push_back(0);
    return b;
}

Bytes win10_filter_list() {
    Bytes b = vector::filter_list();
    b.pop_back();
    b[16] = 0x46;  // DataLength 70: the records only
    return b;
}

Bytes v2_filter_list() {
    const Bytes id = hex_bytes("11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00");
    Bytes data;
    put_u32(data, 1);
    for (int k = 0; k < 3; ++k) {
        put_u32(data, 2);
        data.insert(data.end(), {0, 0});
    }
    data.insert(data.end(), id.begin(), id.end());
    put_u32(data, 1);
    data.insert(data.end(), {10, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    put_u32(data, 6);
    data.insert(data.end(), {0, 0, 22, 0, 0, 0, 0, 0});
    Bytes v2 = hex_bytes("3d cd fe 35 29 ae 73 43 8a 6a c5 d8 fa b2 fb 08");
    Bytes record;
    for (int k = 0; k < 3; ++k) {
        put_u32(record, 2);
        record.insert(record.end(), {0, 0});
    }
    record.insert(record.end(), id.begin(), id.end());
    put_u32(record, 1);  // mirrored
    put_u32(record, 2);  // source: a range
    put_u32(record, 1);  // IPv4
    Bytes first(16, 0), last(16, 0);
    first[0] = 10, first[3] = 1;
    last[0] = 10, last[3] = 99;
    record.insert(record.end(), first.begin(), first.end());
    record.insert(record.end(), last.begin(), last.end());
    put_u32(record, 0);  // destination: any
    put_u32(record, 1);
    record.insert(record.end(), 32, 0);
    put_u32(record, 0);  // source port: any
    put_u32(record, 0);
    put_u32(record, 1);  // destination port: 22
    record.insert(record.end(), {22, 0, 0, 0});
    put_u32(record, 6);
    put_u32(record, 0x8);
    put_u32(v2, static_cast<std::uint32_t>(record.size() + 8));
    put_u32(v2, 1);
    put_u32(v2, 1);
    v2.insert(v2.end(), record.begin(), record.end());
    Bytes b = hex_bytes("b5 20 dc 80 c8 2e d1 11 a8 9e 00 a0 24 8d 30 21");
    put_u32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    b.insert(b.end(), v2.begin(), v2.end());
    return b;
}

std::string reg_hex(const Bytes& bytes, std::string_view type) {
    std::string out = std::string(type) + ":";
    std::size_t column = out.size() + 12;  // `"ipsecData"=` before it
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::string item = fmt::format("{:02x}{}", bytes[i], i + 1 < bytes.size() ? "," : "");
        if (column + item.size() > 78 && i + 1 < bytes.size()) {
            out += "\\\r\n  ";
            column = 2;
        }
        out += item;
        column += item.size();
    }
    return out;
}

std::string reg_multi_sz(const std::vector<std::string>& strings) {
    Bytes b;
    for (const auto& s : strings) {
        const auto units = utf8_to_utf16le(s);
        b.insert(b.end(), units.begin(), units.end());
        b.insert(b.end(), {0, 0});
    }
    b.insert(b.end(), {0, 0});
    return reg_hex(b, "hex(7)");
}

std::string e19_reg_file() {
    const std::string root = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local";
    const std::string key = "HKEY_LOCAL_MACHINE\\" + root;
    auto ref = [&root](std::string_view object) { return root + "\\" + std::string(object); };
    auto escaped = [](std::string s) {
        std::string out;
        for (char c : s) out += c == '\\' ? std::string("\\\\") : std::string(1, c);
        return out;
    };
    const std::string policy = "ipsecPolicy{F0A3E7E0-6E7A-4F2B-9D0B-3C0B1C8F4A10}";
    const std::string isakmp = "ipsecISAKMPPolicy{F9F9E6FF-187C-451C-9AF5-180384290492}";
    const std::string nfa = "ipsecNFA{0B3B6B6E-2D4A-4C61-A0F7-51A1C1B2C3D4}";
    const std::string default_nfa = "ipsecNFA{0B3B6B6E-2D4A-4C61-A0F7-51A1C1B2C3D5}";
    const std::string filter = "ipsecFilter{5A8C1D20-3C44-4B2C-9A11-7E2F0D9C1B00}";
    const std::string action = "ipsecNegotiationPolicy{7C2E3F40-5A66-4D88-8B22-1F3E4D5C6B70}";
    const std::string default_action = "ipsecNegotiationPolicy{7C2E3F40-5A66-4D88-8B22-1F3E4D5C6B71}";
    std::string t = "Windows Registry Editor Version 5.00\r\n\r\n";
    t += fmt::format("[{}]\r\n\"ActivePolicy\"=\"{}\"\r\n\r\n", key, escaped(ref(policy)));
    auto object = [&](const std::string& name, std::string_view cls, const Bytes& blob, const std::string& extra) {
        t += fmt::format(
            "[{}\\{}]\r\n\"ClassName\"=\"{}\"\r\n\"ipsecData\"={}\r\n\"ipsecDataType\"=dword:00000100\r\n"
            "\"ipsecID\"=\"{}\"\r\n\"name\"=\"{}\"\r\n\"whenChanged\"=dword:3a8e1b2c\r\n{}\r\n",
            key, name, cls, reg_hex(blob), name.substr(name.find('{')), name, extra);
    };
    object(
        policy, "ipsecPolicy", vector::policy(),
        fmt::format("\"ipsecName\"=\"L2TP client\"\r\n\"ipsecISAKMPReference\"=\"{}\"\r\n\"ipsecNFAReference\"={}\r\n",
                    escaped(ref(isakmp)), reg_multi_sz({ref(nfa), ref(default_nfa)})));
    object(isakmp, "ipsecISAKMPPolicy", vector::isakmp(),
           fmt::format("\"ipsecOwnersReference\"={}\r\n", reg_multi_sz({ref(policy)})));
    object(nfa, "ipsecNFA", vector::rule(),
           fmt::format("\"ipsecOwnersReference\"={}\r\n\"ipsecFilterReference\"={}\r\n"
                       "\"ipsecNegotiationPolicyReference\"=\"{}\"\r\n",
                       reg_multi_sz({ref(policy)}), reg_multi_sz({ref(filter)}), escaped(ref(action))));
    object(default_nfa, "ipsecNFA", vector::default_response_rule(),
           fmt::format("\"ipsecOwnersReference\"={}\r\n\"ipsecNegotiationPolicyReference\"=\"{}\"\r\n",
                       reg_multi_sz({ref(policy)}), escaped(ref(default_action))));
    object(filter, "ipsecFilter", vector::filter_list(),
           fmt::format("\"ipsecName\"=\"L2TP server\"\r\n\"ipsecOwnersReference\"={}\r\n", reg_multi_sz({ref(nfa)})));
    object(action, "ipsecNegotiationPolicy", vector::filter_action(),
           fmt::format("\"ipsecName\"=\"ESP 3DES-MD5 300s\"\r\n\"ipsecOwnersReference\"={}\r\n"
                       "\"ipsecNegotiationPolicyAction\"=\"{{8A171DD3-77E3-11D1-8659-A04F00000000}}\"\r\n"
                       "\"ipsecNegotiationPolicyType\"=\"{{62F49E10-6C37-11D1-864C-14A300000000}}\"\r\n",
                       reg_multi_sz({ref(nfa)})));
    object(default_action, "ipsecNegotiationPolicy", vector::default_response_action(),
           fmt::format("\"ipsecOwnersReference\"={}\r\n"
                       "\"ipsecNegotiationPolicyAction\"=\"{{8A171DD3-77E3-11D1-8659-A04F00000000}}\"\r\n"
                       "\"ipsecNegotiationPolicyType\"=\"{{62F49E13-6C37-11D1-864C-14A300000000}}\"\r\n",
                       reg_multi_sz({ref(default_nfa)})));
    return t;
}

std::string Imported::codes() const {
    std::map<std::string, int> counts;
    for (const auto& d : diagnostics.all()) ++counts[d.code];
    std::string out;
    for (const auto& [code, n] : counts) out += fmt::format("{}{}:{}", out.empty() ? "" : " ", code, n);
    return out;
}

const Diagnostic* Imported::first(std::string_view code) const {
    for (const auto& d : diagnostics.all())
        if (d.code == code) return &d;
    return nullptr;
}

Imported import_bytes(std::string_view bytes, std::string_view path) {
    auto decoded = decode_bytes(bytes, std::string(path));
    if (!decoded) throw std::runtime_error(decoded.error().message);
    Imported out;
    registry_importer().import(*decoded, {}, out.store, out.diagnostics);
    return out;
}

}  // namespace winipsec::registry::test
