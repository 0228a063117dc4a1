#pragma once
// The live `inet winipsec` table as the kernel reports it: what `winipsec
// show` prints and what tests assert on. Read, never assumed (STYLE.md: the
// owner of kernel state reads back what it installed).
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/error.hpp"
#include "kernel/nft_ruleset.hpp"

namespace winipsec::kernel {

struct NftCounter {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
};

struct NftLiveRule {
    std::uint64_t handle = 0;
    std::string comment;  // "c3 inbound block rule '...'" or "exemption ike: ..."
    std::string set;      // the set it looks up; empty when none
    NftVerdict verdict = NftVerdict::None;
    std::optional<NftCounter> counter;
};

struct NftLiveChain {
    std::string name;
    std::vector<NftLiveRule> rules;  // in evaluation order
};

struct NftLiveElement {
    std::string key;                    // "192.0.2.0/24 . 17 . 1434": subnets with the mask the rule applies
    std::string comment;                // the Windows filter: "policy.netsh:12:1"
    std::optional<NftCounter> counter;  // per element, when the set has counters
};

struct NftLiveSet {
    std::string name;
    std::vector<NftValueType> key;
    std::vector<NftLiveElement> elements;  // in the kernel's (hash) order
};

struct NftLiveState {
    bool present = false;  // false: no table inet winipsec
    std::vector<NftLiveChain> chains;
    std::vector<NftLiveSet> sets;

    const NftLiveChain* chain(std::string_view name) const;
    const NftLiveSet* set(std::string_view name) const;
    // The rule whose comment starts with `prefix` ("c3 "), in any chain.
    const NftLiveRule* rule_with_comment(std::string_view prefix) const;
};

// Dumps table, chains, rules, sets and elements over netlink. An absent
// table gives present = false, not an error.
std::expected<NftLiveState, Error> read_nft_state();

// Whether `inet winipsec` exists: one GETTABLE, no dumps.
std::expected<bool, Error> nft_table_present();

}  // namespace winipsec::kernel
