#pragma once
// The ipsecNFA blob (spec windows-ipsec.md §3.5): a rule's authentication
// methods, connection type, tunnel endpoint and active flag, plus the Vista+
// sections after the counted data.
#include <array>
#include <expected>
#include <optional>
#include <span>

#include "plugins/registry/blob_reader.hpp"

namespace winipsec::registry {

struct AuthRecord {
    std::uint32_t type = 0;              // 1 PSK, 3 certificate (root CA name), 5 Kerberos
    std::vector<std::uint8_t> data;  // a copy: a PSK is plain UTF-16LE text, never log it
    std::size_t offset = 0;
};

struct NfaBlob {
    std::vector<AuthRecord> authentication;
    std::uint32_t interface_type = 0;  // 0xFFFFFFFD all, 0xFFFFFFFE LAN, 0xFFFFFFFF dial-up
    std::string interface_name;
    std::array<std::uint8_t, 4> tunnel_address{};
    std::uint32_t is_tunnel = 0;  // before IsActive, as [MS-GPIPSEC] says (ipsec2k has them swapped)
    std::uint32_t is_active = 0;
    std::string tunnel_name;
    std::size_t interface_offset = 0;
    std::size_t tunnel_offset = 0;

    // Vista+ sections after the counted data, each when present.
    std::optional<std::vector<AuthRecord>> alternate_authentication;  // {...0101}
    std::optional<std::vector<std::uint32_t>> authentication_flags;   // {...0102}: 1 certmap, 2 exclude CA name
    std::optional<std::array<std::uint8_t, 16>> tunnel_address_v6;    // {...0103}
    std::size_t extensions_offset = 0;
    std::vector<BlobFinding> findings;
};

std::expected<NfaBlob, BlobError> decode_nfa_blob(std::span<const std::uint8_t> blob);

}  // namespace winipsec::registry
