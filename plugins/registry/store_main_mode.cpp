#include "plugins/registry/store_main_mode.hpp"

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"

namespace winipsec::registry {
namespace {

// RandomFunction / NewDH values 1..4: DES-MD5, DES-SHA1, 3DES-MD5, 3DES-SHA1,
// each with the 2048-bit group (§3.4).
std::optional<MainModeOffer> group14_method(unsigned number) {
    switch (number) {
        case 1: return MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp2048};
        case 2: return MainModeOffer{Cipher::Des, Integrity::Sha1, DhGroup::Modp2048};
        case 3: return MainModeOffer{Cipher::TripleDes, Integrity::Md5, DhGroup::Modp2048};
        case 4: return MainModeOffer{Cipher::TripleDes, Integrity::Sha1, DhGroup::Modp2048};
        default: return std::nullopt;
    }
}

std::optional<MainModeOffer> to_offer(const SecurityMethodRecord& m, std::size_t number, const BlobSite& site) {
    if (m.random_function != 0) {
        if (auto offer = group14_method(m.random_function)) return offer;
        site.unsupported(m.offset + 36, fmt::format("security method {} has random function {}; the method is left out",
                                                    number, m.random_function));
        return std::nullopt;
    }
    MainModeOffer offer;
    switch (m.cipher) {
        case 1: offer.cipher = Cipher::Des; break;
        case 3: offer.cipher = Cipher::TripleDes; break;
        default:
            site.unsupported(m.offset + 4, fmt::format("security method {} has encryption algorithm {}; the method is "
                                                       "left out",
                                                       number, m.cipher));
            return std::nullopt;
    }
    switch (m.hash) {
        case 1: offer.integrity = Integrity::Md5; break;
        case 2: offer.integrity = Integrity::Sha1; break;
        default:
            site.unsupported(
                m.offset + 16,
                fmt::format("security method {} has hash algorithm {}; the method is left out", number, m.hash));
            return std::nullopt;
    }
    switch (m.oakley_group) {
        case 1: offer.group = DhGroup::Modp768; break;
        case 2: offer.group = DhGroup::Modp1024; break;
        case 0x10000001u: offer.group = DhGroup::Modp2048; break;  // netsh/UI "3" / "High (2048)"
        default:
            site.unsupported(m.offset + 44, fmt::format("security method {} has Oakley group 0x{:x}; the method is "
                                                        "left out",
                                                        number, m.oakley_group));
            return std::nullopt;
    }
    return offer;
}

}  // namespace

MainModeSettings to_main_mode(const IsakmpBlob& blob, const BlobSite& site) {
    MainModeSettings mm;
    // Vista+ 2048-bit methods come first in the proposal (§3.4).
    for (std::size_t i = 0; i < blob.new_dh.size(); ++i) {
        if (blob.new_dh[i] == 0) continue;
        if (auto offer = group14_method(blob.new_dh[i]))
            mm.offers.push_back(*offer);
        else
            site.not_understood(blob.new_dh_offset + i,
                                fmt::format("NewDH value {} is none of 1-4; ignored", blob.new_dh[i]));
    }
    for (std::size_t i = 0; i < blob.methods.size(); ++i)
        if (auto offer = to_offer(blob.methods[i], i + 1, site)) mm.offers.push_back(*offer);
    if (mm.offers.empty()) {
        site.diagnostics.warning(
            code::not_understood, site.key.where,
            fmt::format("{}: no usable main-mode security method; Windows' defaults are used", site.object()));
        mm.offers = default_main_mode_offers();
    }

    // The model keeps one main-mode lifetime; Windows keeps one per method and
    // one in the header (0 there in Windows 2000 blobs, §3.4).
    std::uint32_t lifetime = blob.lifetime_seconds;
    for (const auto& m : blob.methods)
        if (lifetime == 0) lifetime = m.lifetime_seconds;
    mm.lifetime_seconds = lifetime == 0 ? 28800 : lifetime;
    for (std::size_t i = 0; i < blob.methods.size(); ++i) {
        const auto& m = blob.methods[i];
        if (m.lifetime_seconds != 0 && m.lifetime_seconds != mm.lifetime_seconds)
            site.not_understood(m.offset + 56, fmt::format("security method {} has its own lifetime of {} s; winipsec "
                                                           "keeps one lifetime per policy and uses {} s",
                                                           i + 1, m.lifetime_seconds, mm.lifetime_seconds));
        if (m.lifetime_kbytes != 0)
            site.not_understood(m.offset + 52, fmt::format("security method {} limits main mode to {} KB; not applied",
                                                           i + 1, m.lifetime_kbytes));
        if (m.quick_mode_limit != 0 && m.quick_mode_limit != blob.quick_mode_limit)
            site.not_understood(m.offset + 48, fmt::format("security method {} has its own quick-mode limit {}; the "
                                                           "policy's ({}) is used",
                                                           i + 1, m.quick_mode_limit, blob.quick_mode_limit));
    }
    mm.quick_modes_per_main_mode = blob.quick_mode_limit;
    if (blob.master_pfs > 1)
        site.not_understood(envelope_size + 20, fmt::format("MasterPFS is {}; taken as on", blob.master_pfs));
    mm.master_pfs = blob.master_pfs != 0;
    // Master PFS means a new main mode for every quick mode (as netsh mmpfs=yes, §4.4).
    if (mm.master_pfs) mm.quick_modes_per_main_mode = 1;
    if (blob.options != 0)
        site.not_understood(blob.options_offset,
                            fmt::format("ISAKMP options 0x{:x} (bit 0 maps certificates to accounts, bit 1 leaves CA "
                                        "names out of certificate requests); not applied",
                                        blob.options));
    site.report(blob.findings);
    return mm;
}

}  // namespace winipsec::registry
