#pragma once
// Shared by the registry plugin tests: the spec's test vectors, builders for
// .reg text, and an import helper.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "model/policy.hpp"

namespace winipsec::registry::test {

using Bytes = std::vector<std::uint8_t>;

// "63 21 20 22 ..." (blanks and newlines between bytes).
Bytes hex_bytes(std::string_view text);

// Spec windows-ipsec.md §3.7 (Windows 2000 MMC export, VPNease).
namespace vector {
Bytes policy();         // 25 bytes, polling 10 800 s
Bytes filter_list();    // 95 bytes, one filter
Bytes filter_action();  // 105 bytes, ESP[3DES,MD5] 300 s
Bytes rule();           // 75 bytes, PSK "secret"
// 341 bytes: the 148 printed in §3.7 and the three methods §3.4 says follow
// (3DES-MD5-DH2, DES-SHA1-DH1, DES-MD5-DH1, 480 min), written like the first.
Bytes isakmp();
// Not printed in §3.7, built from §3.5/§3.6/§8.9: the default response rule
// (Kerberos, inactive) and its action (the six default offers).
Bytes default_response_rule();
Bytes default_response_action();
}  // namespace vector

// Blobs in the shapes Windows 10 writes (corpus #39-#41), built here:
// the §3.7 rule with the Vista+ sections after it (its PSK repeated in the
// ...0101 list, one zero flag in ...0102), and the §3.7 filter list with
// DataLength counting the records only and no trailer.
Bytes vista_rule();
Bytes win10_filter_list();
// A filter list with one V1 record (10.0.0.0/8 -> any) and a V2 section whose
// one record (flag 0x8, same GUID) says 10.0.0.1-10.0.0.99 -> any, TCP 22.
Bytes v2_filter_list();

// A regedit value line's data: `hex:63,21,...` wrapped with `\` like regedit.
std::string reg_hex(const Bytes& bytes, std::string_view type = "hex");
// `hex(7):` data of a REG_MULTI_SZ holding `strings`.
std::string reg_multi_sz(const std::vector<std::string>& strings);

// The E19 store (§12 E19) as a version 5.00 .reg file.
std::string e19_reg_file();

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;

    std::string codes() const;  // "E-X:2 W-Y:1"
    const Diagnostic* first(std::string_view code) const;
};

// Imports `bytes` (decoded as winipsec decodes files) with the registry importer.
Imported import_bytes(std::string_view bytes, std::string_view path = "test.reg");

}  // namespace winipsec::registry::test
