#pragma once
// Windows main-mode and quick-mode offers spelled as strongSwan proposal
// keywords (spec windows-ipsec.md §9.4; linux-targets.md §1.9). IKEv1 keeps
// one algorithm per kind per proposal, so every Windows offer becomes its
// own proposal, in Windows' preference order.
#include <expected>
#include <optional>
#include <string>

#include "model/crypto_suite.hpp"

namespace winipsec::ike {

// "3des-sha1-modp1024"; an error text when charon cannot express the offer.
std::expected<std::string, std::string> ike_proposal(const MainModeOffer& offer);

// A quick-mode offer as an ESP or AH proposal. `pfs_group` (the main-mode
// group when qmpfs is on, spec §8.5) is appended as "-modpNNNN".
struct ChildProposal {
    bool ah = false;       // false = ESP
    std::string keywords;  // "3des-sha1", "sha1", "aes128-sha1-modp1024"
};
std::expected<ChildProposal, std::string> child_proposal(const QuickModeOffer& offer, std::optional<DhGroup> pfs_group);

// "modp768", "modp1024", "modp2048".
const char* dh_keyword(DhGroup group);

}  // namespace winipsec::ike
