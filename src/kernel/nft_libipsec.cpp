#include "kernel/nft_libipsec.hpp"

#include <algorithm>
#include <string>

namespace winipsec::kernel {

void trust_libipsec_interface(NftRuleset& ruleset, std::string_view interface) {
    for (auto& chain : ruleset.chains) {
        std::vector<NftRule> rules;
        rules.reserve(chain.rules.size());
        for (auto& rule : chain.rules) {
            const bool by_secpath = std::any_of(rule.matches.begin(), rule.matches.end(), [](const NftMatch& m) {
                return std::holds_alternative<NftMatchIpsec>(m);
            });
            rules.push_back(rule);
            if (!by_secpath || rule.verdict != NftVerdict::Accept) continue;
            NftRule twin = rule;
            for (auto& m : twin.matches)
                if (std::holds_alternative<NftMatchIpsec>(m)) m = NftMatchInputInterface{std::string(interface)};
            twin.comment = sanitize_comment("via libipsec: " + rule.comment);
            rules.push_back(std::move(twin));
        }
        chain.rules = std::move(rules);
    }
}

}  // namespace winipsec::kernel
