#include "plugins/registry/store_filter_action.hpp"

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"

namespace winipsec::registry {
namespace {

// Some sources write the GUIDs in lower case or with a stray dash (§3.6):
// compare the 32 hex digits only.
std::string hex_digits(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (c != '-' && c != '{' && c != '}' && c != ' ') out.push_back(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return out;
}

bool same_guid(const std::string& text, std::string_view guid) {
    return hex_digits(text) == hex_digits(guid);
}

constexpr std::string_view block_guid = "{3F91A819-7647-11D1-864D-D46A00000000}";
constexpr std::string_view permit_guid = "{8A171DD2-77E3-11D1-8659-A04F00000000}";
constexpr std::string_view secure_guid = "{8A171DD3-77E3-11D1-8659-A04F00000000}";
constexpr std::string_view inbound_passthrough_guid = "{3F91A81A-7647-11D1-864D-D46A00000000}";
constexpr std::string_view standard_type_guid = "{62F49E10-6C37-11D1-864C-14A300000000}";
constexpr std::string_view default_response_type_guid = "{62F49E13-6C37-11D1-864C-14A300000000}";

std::optional<Integrity> integrity(std::uint32_t id) {
    switch (id) {
        case 0: return Integrity::None;
        case 1: return Integrity::Md5;
        case 2: return Integrity::Sha1;
        default: return std::nullopt;
    }
}

// ESP ciphers as real data has them: DES = 1, 3DES = 3 ([MS-GPIPSEC]'s table is
// off by one, §3.6); 2 is 40-bit DES, which nothing negotiates any more.
std::optional<Cipher> cipher(std::uint32_t id) {
    switch (id) {
        case 0: return Cipher::None;
        case 1: return Cipher::Des;
        case 3: return Cipher::TripleDes;
        default: return std::nullopt;
    }
}

std::optional<QuickModeOffer> to_offer(const OfferRecord& r, std::size_t number, const BlobSite& site) {
    QuickModeOffer offer;
    offer.lifetime_seconds = r.lifetime_seconds;
    offer.lifetime_kbytes = r.lifetime_kbytes;
    for (const auto& slot : r.algorithms) {
        if (slot.operation == 1 && !offer.ah) {
            const auto hash = integrity(slot.id);
            if (!hash || *hash == Integrity::None) {
                site.unsupported(slot.offset, fmt::format("offer {}: AH integrity algorithm {} is unknown; the offer "
                                                          "is left out",
                                                          number, slot.id));
                return std::nullopt;
            }
            offer.ah = *hash;
        } else if (slot.operation == 2 && !offer.esp) {
            const auto c = cipher(slot.id);
            const auto hash = integrity(slot.secondary_id);
            if (!c || !hash) {
                site.unsupported(slot.offset, fmt::format("offer {}: ESP algorithms {}/{} are unknown; the offer is "
                                                          "left out",
                                                          number, slot.id, slot.secondary_id));
                return std::nullopt;
            }
            offer.esp = EspTransform{*c, *hash};
        } else {
            site.unsupported(slot.offset,
                             fmt::format("offer {}: operation {} {}; the offer is left out", number, slot.operation,
                                         slot.operation == 1 || slot.operation == 2 ? "appears twice"
                                                                                    : "is neither AH (1) nor ESP (2)"));
            return std::nullopt;
        }
    }
    return offer;
}

}  // namespace

bool is_default_response_type(const RegistryValue* type_value) {
    const auto text = type_value ? type_value->text() : std::nullopt;
    return text && same_guid(*text, default_response_type_guid);
}

std::optional<FilterAction> to_filter_action(const NegotiationBlob& blob, const RegistryValue* action_value,
                                             const RegistryValue* type_value, const BlobSite& site) {
    FilterAction action;
    action.where = site.key.where;
    const auto action_text = action_value ? action_value->text() : std::nullopt;
    if (!action_text) {
        site.diagnostics.warning(
            code::not_understood, site.key.where,
            fmt::format("{} has no ipsecNegotiationPolicyAction (REG_SZ); taken as negotiate", site.object()));
    } else if (same_guid(*action_text, block_guid)) {
        action.action = ActionKind::Block;
    } else if (same_guid(*action_text, permit_guid)) {
        action.action = ActionKind::Permit;
    } else if (same_guid(*action_text, inbound_passthrough_guid)) {
        action.inbound_passthrough = true;
    } else if (!same_guid(*action_text, secure_guid)) {
        site.diagnostics.error(code::unsupported_value, action_value->where,
                               fmt::format("{}: ipsecNegotiationPolicyAction {} is none of block, permit, negotiate "
                                           "or inbound pass-through; the filter action and the rules using it are "
                                           "left out",
                                           site.object(), *action_text));
        return std::nullopt;
    }
    if (const auto type = type_value ? type_value->text() : std::nullopt;
        type && !same_guid(*type, standard_type_guid) && !same_guid(*type, default_response_type_guid))
        site.diagnostics.warning(code::not_understood, type_value->where,
                                 fmt::format("{}: ipsecNegotiationPolicyType {} is unknown; taken as a standard "
                                             "filter action",
                                             site.object(), *type));

    bool pfs_on = false, pfs_off = false;
    for (std::size_t i = 0; i < blob.offers.size(); ++i) {
        const OfferRecord& r = blob.offers[i];
        if (r.flags != 0)
            site.not_understood(r.offset + 8, fmt::format("offer {} has flags 0x{:x}; ignored", i + 1, r.flags));
        if (r.pfs > 1)
            site.not_understood(r.offset + 12, fmt::format("offer {} has PFS value {}; taken as on", i + 1, r.pfs));
        (r.pfs != 0 ? pfs_on : pfs_off) = true;
        // Hypothesis only (§3.6, open question 2): "allow unsecured
        // communication" might be stored as an offer without algorithms.
        if (r.algorithms.empty()) {
            site.not_understood(r.offset + 16,
                                fmt::format("offer {} has no algorithms; it may mean 'allow unsecured communication' "
                                            "(fall back to clear), which no real sample confirms; not applied",
                                            i + 1));
            continue;
        }
        if (auto offer = to_offer(r, i + 1, site)) action.offers.push_back(*offer);
    }
    // The model keeps one PFS flag per action; Windows keeps one per offer.
    action.quick_mode_pfs = pfs_on;
    if (pfs_on && pfs_off)
        site.diagnostics.warning(code::not_understood, site.at(blob.offers.front().offset),
                                 fmt::format("{}: some offers ask for quick-mode PFS and some do not; winipsec keeps "
                                             "one setting per filter action and uses PFS for all",
                                             site.object()));
    return action;
}

}  // namespace winipsec::registry
