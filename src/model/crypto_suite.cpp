#include "model/crypto_suite.hpp"

#include <fmt/format.h>

namespace winipsec {

std::vector<MainModeOffer> default_main_mode_offers() {
    return {
        {Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp1024},
        {Cipher::TripleDes, Integrity::Md5, DhGroup::Modp1024},
        {Cipher::Des, Integrity::Sha1, DhGroup::Modp768},
        {Cipher::Des, Integrity::Md5, DhGroup::Modp768},
    };
}

std::vector<QuickModeOffer> default_quick_mode_offers() {
    auto esp = [](Cipher c, Integrity i) {
        QuickModeOffer o;
        o.esp = EspTransform{c, i};
        return o;
    };
    auto ah = [](Integrity i) {
        QuickModeOffer o;
        o.ah = i;
        return o;
    };
    return {esp(Cipher::TripleDes, Integrity::Sha1),
            esp(Cipher::TripleDes, Integrity::Md5),
            esp(Cipher::Des, Integrity::Sha1),
            esp(Cipher::Des, Integrity::Md5),
            ah(Integrity::Sha1),
            ah(Integrity::Md5)};
}

const char* to_string(Cipher c) {
    switch (c) {
        case Cipher::None: return "None";
        case Cipher::Des: return "DES";
        case Cipher::TripleDes: return "3DES";
        case Cipher::Aes128: return "AES128";
        case Cipher::Aes192: return "AES192";
        case Cipher::Aes256: return "AES256";
    }
    return "?";
}

const char* to_string(Integrity i) {
    switch (i) {
        case Integrity::None: return "None";
        case Integrity::Md5: return "MD5";
        case Integrity::Sha1: return "SHA1";
        case Integrity::Sha256: return "SHA256";
        case Integrity::Sha384: return "SHA384";
    }
    return "?";
}

int to_windows_group_number(DhGroup g) {
    switch (g) {
        case DhGroup::Modp768: return 1;
        case DhGroup::Modp1024: return 2;
        case DhGroup::Modp2048: return 3;
        case DhGroup::None: return 0;
    }
    return 0;
}

std::string to_string(const QuickModeOffer& o) {
    std::string s;
    if (o.ah) s += fmt::format("AH[{}]", to_string(*o.ah));
    if (o.ah && o.esp) s += "+";
    if (o.esp) s += fmt::format("ESP[{},{}]", to_string(o.esp->cipher), to_string(o.esp->integrity));
    if (o.lifetime_kbytes && o.lifetime_seconds)
        s += fmt::format(":{}k/{}s", o.lifetime_kbytes, o.lifetime_seconds);
    else if (o.lifetime_kbytes)
        s += fmt::format(":{}k", o.lifetime_kbytes);
    else if (o.lifetime_seconds)
        s += fmt::format(":{}s", o.lifetime_seconds);
    return s;
}

std::string to_string(const MainModeOffer& o) {
    return fmt::format("{}-{}-{}", to_string(o.cipher), to_string(o.integrity), to_windows_group_number(o.group));
}

}  // namespace winipsec
