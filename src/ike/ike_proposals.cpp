#include "ike/ike_proposals.hpp"

namespace winipsec::ike {
namespace {

const char* cipher_keyword(Cipher c) {
    switch (c) {
        case Cipher::None: return "null";
        case Cipher::Des: return "des";
        case Cipher::TripleDes: return "3des";
        case Cipher::Aes128: return "aes128";
        case Cipher::Aes192: return "aes192";
        case Cipher::Aes256: return "aes256";
    }
    return "null";
}

const char* integrity_keyword(Integrity i) {
    switch (i) {
        case Integrity::None: return "";
        case Integrity::Md5: return "md5";
        case Integrity::Sha1: return "sha1";
        case Integrity::Sha256: return "sha256";
        case Integrity::Sha384: return "sha384";
    }
    return "";
}

}  // namespace

const char* dh_keyword(DhGroup group) {
    switch (group) {
        case DhGroup::None: return "";
        case DhGroup::Modp768: return "modp768";
        case DhGroup::Modp1024: return "modp1024";
        case DhGroup::Modp2048: return "modp2048";
    }
    return "";
}

std::expected<std::string, std::string> ike_proposal(const MainModeOffer& offer) {
    if (offer.cipher == Cipher::None) return std::unexpected("main mode needs an encryption algorithm");
    if (offer.integrity == Integrity::None) return std::unexpected("main mode needs an integrity algorithm");
    if (offer.group == DhGroup::None) return std::unexpected("main mode needs a Diffie-Hellman group");
    return std::string(cipher_keyword(offer.cipher)) + '-' + integrity_keyword(offer.integrity) + '-' +
           dh_keyword(offer.group);
}

std::expected<ChildProposal, std::string> child_proposal(const QuickModeOffer& offer,
                                                         std::optional<DhGroup> pfs_group) {
    // charon negotiates ESP or AH per CHILD_SA, never the AH+ESP bundle
    // Windows can offer (spec §9.7).
    if (offer.ah && offer.esp) return std::unexpected("AH+ESP bundles cannot be negotiated by charon");
    ChildProposal p;
    if (offer.ah) {
        if (*offer.ah == Integrity::None) return std::unexpected("AH without an integrity algorithm");
        p.ah = true;
        p.keywords = integrity_keyword(*offer.ah);
    } else if (offer.esp) {
        if (offer.esp->cipher == Cipher::None && offer.esp->integrity == Integrity::None)
            return std::unexpected("ESP with neither encryption nor integrity");
        p.keywords = cipher_keyword(offer.esp->cipher);
        if (offer.esp->integrity != Integrity::None)
            p.keywords += std::string("-") + integrity_keyword(offer.esp->integrity);
    } else {
        return std::unexpected("an offer with neither ESP nor AH");
    }
    if (pfs_group && *pfs_group != DhGroup::None) p.keywords += std::string("-") + dh_keyword(*pfs_group);
    return p;
}

}  // namespace winipsec::ike
