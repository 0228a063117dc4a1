#pragma once
// What changes between two versions of winipsec's nftables table when only
// set elements differ: per set, the elements to delete and to add. A daemon
// that reloads a 100 000-filter policy after a one-filter edit sends these
// few elements (apply_nft_set_deltas, nft_batch.hpp) instead of the table.
#include <optional>
#include <string>
#include <vector>

#include "kernel/nft_ruleset.hpp"

namespace winipsec::kernel {

struct NftSetDelta {
    std::string set;              // the set's name in `inet winipsec`
    std::vector<NftKeyPart> key;  // the set's key, for encoding the elements
    std::vector<NftSetElement> removed;
    std::vector<NftSetElement> added;
    bool empty() const { return removed.empty() && added.empty(); }
    bool operator==(const NftSetDelta&) const = default;
};

// The elements to delete from and add to `before` to make it `after`, both
// in their set's element order. Elements are identified by their key; one
// whose comment changed is deleted and added again (its counter restarts),
// because nf_tables has no way to update an element in place: NEWSETELEM on
// an existing key either fails (NLM_F_EXCL) or leaves it as it was.
// Precondition: the two sets have the same key (diff_nft_rulesets checks),
// and neither repeats a key (build_nft_ruleset drops repeats; the kernel
// would refuse them). Cost: linear in the elements both sets share at the
// start and the end of their lists, O(k log k) in the k others.
NftSetDelta diff_nft_set(const NftSet& before, const NftSet& after);

// Per-set deltas turning `before` into `after`, empty sets' deltas left out
// (an empty vector: nothing to change). nullopt when anything but set
// elements differs: the set list, a set's name, key or counter flag, the
// chains or their rules; that needs the whole table replaced.
std::optional<std::vector<NftSetDelta>> diff_nft_rulesets(const NftRuleset& before, const NftRuleset& after);

}  // namespace winipsec::kernel
