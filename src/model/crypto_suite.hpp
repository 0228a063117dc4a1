#pragma once
// Main-mode and quick-mode offers as Windows stores them (spec §3.4, §3.6, §8.9).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace winipsec {

enum class Cipher { None, Des, TripleDes, Aes128, Aes192, Aes256 };
enum class Integrity { None, Md5, Sha1, Sha256, Sha384 };

// Windows group numbers as netsh spells them map to IKE groups: 1 -> 1 (768),
// 2 -> 2 (1024), 3 ("High", stored 0x10000001) -> 14 (2048). We keep the IKE number.
enum class DhGroup : int { None = 0, Modp768 = 1, Modp1024 = 2, Modp2048 = 14 };

struct MainModeOffer {
    Cipher cipher = Cipher::TripleDes;
    Integrity integrity = Integrity::Sha1;
    DhGroup group = DhGroup::Modp1024;
    bool operator==(const MainModeOffer&) const = default;
};

struct EspTransform {
    Cipher cipher = Cipher::TripleDes;
    Integrity integrity = Integrity::Sha1;
    bool operator==(const EspTransform&) const = default;
};

struct QuickModeOffer {
    std::optional<Integrity> ah;         // AH[hash]
    std::optional<EspTransform> esp;     // ESP[cipher,hash]
    std::uint32_t lifetime_kbytes = 0;   // 0 = not set (IKE then uses 100 000 KB)
    std::uint32_t lifetime_seconds = 0;  // 0 = not set (IKE then uses 3 600 s)
    bool operator==(const QuickModeOffer&) const = default;
};

struct MainModeSettings {
    std::vector<MainModeOffer> offers;            // preference order
    std::uint32_t lifetime_seconds = 28800;       // 480 min
    std::uint32_t quick_modes_per_main_mode = 0;  // 0 = unlimited
    bool master_pfs = false;
};

// Windows' defaults (spec §4.4, §8.9), used when an input is silent.
std::vector<MainModeOffer> default_main_mode_offers();
std::vector<QuickModeOffer> default_quick_mode_offers();

const char* to_string(Cipher c);         // "DES", "3DES", "AES128", "None", ...
const char* to_string(Integrity i);      // "MD5", "SHA1", "None", ...
int to_windows_group_number(DhGroup g);  // 1, 2, 3 as netsh spells them
// "ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]+ESP[DES,None]" -- netsh qmsecmethods syntax
std::string to_string(const QuickModeOffer& offer);
// "3DES-SHA1-2" -- netsh mmsecmethods syntax
std::string to_string(const MainModeOffer& offer);

}  // namespace winipsec
