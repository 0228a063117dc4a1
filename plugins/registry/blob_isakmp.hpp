#pragma once
// The ipsecISAKMPPolicy blob (spec windows-ipsec.md §3.4): main-mode settings
// and security methods, as stored.
#include <array>
#include <expected>
#include <span>

#include "plugins/registry/blob_reader.hpp"

namespace winipsec::registry {

struct SecurityMethodRecord {
    std::uint32_t cipher = 0;          // low half of the encryption id: 1 DES, 3 3DES
    std::uint32_t hash = 0;            // low half of the hash id: 1 MD5, 2 SHA-1
    std::uint8_t random_function = 0;  // 1..4: DES-MD5/DES-SHA1/3DES-MD5/3DES-SHA1 with group 14
    std::uint32_t oakley_group = 0;    // 1, 2, 0x10000001 (= 2048-bit)
    std::uint32_t quick_mode_limit = 0;
    std::uint32_t lifetime_kbytes = 0;
    std::uint32_t lifetime_seconds = 0;
    std::size_t offset = 0;
};

struct IsakmpBlob {
    Guid instance;
    std::uint32_t master_pfs = 0;
    std::uint32_t options = 0;             // bit 0 certificate-to-account mapping, bit 1 exclude CA names
    std::array<std::uint8_t, 4> new_dh{};  // Vista+ 2048-bit methods, tried first; 0 = unused
    std::uint32_t quick_mode_limit = 0;
    std::uint32_t lifetime_seconds = 0;  // 0 = the methods' (or 28 800 s)
    std::vector<SecurityMethodRecord> methods;
    std::size_t options_offset = 0;
    std::size_t new_dh_offset = 0;
    std::vector<BlobFinding> findings;
};

std::expected<IsakmpBlob, BlobError> decode_isakmp_blob(std::span<const std::uint8_t> blob);

}  // namespace winipsec::registry
