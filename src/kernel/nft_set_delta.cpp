// Set-element diffs. Two 100 000-element sets that differ in a few elements
// are the case to be fast for: most elements sit at the same place in both
// lists (the plan keeps filter order), so the common head and tail are
// skipped by a linear compare and only the middle is sorted and merged, as
// packed keys (no node per element; see NftPackedKey).
#include "kernel/nft_set_delta.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace winipsec::kernel {
namespace {

using KeyIndex = std::vector<std::pair<NftPackedKey, std::uint32_t>>;

// The packed keys of elements [first, last), sorted, each with its index.
KeyIndex sorted_keys(std::span<const NftKeyPart> key, const std::vector<NftSetElement>& elements, std::size_t first,
                     std::size_t last) {
    KeyIndex keys;
    keys.reserve(last - first);
    for (std::size_t i = first; i < last; ++i)
        keys.emplace_back(packed_key(key, elements[i]), static_cast<std::uint32_t>(i));
    std::sort(keys.begin(), keys.end());
    return keys;
}

// The elements at `indexes`, in set order.
std::vector<NftSetElement> pick(const std::vector<NftSetElement>& elements, std::vector<std::uint32_t>& indexes) {
    std::sort(indexes.begin(), indexes.end());
    std::vector<NftSetElement> picked;
    picked.reserve(indexes.size());
    for (const auto i : indexes) picked.push_back(elements[i]);
    return picked;
}

}  // namespace

NftSetDelta diff_nft_set(const NftSet& before, const NftSet& after) {
    if (before.key != after.key)
        throw std::logic_error("diff_nft_set: sets " + before.name + " and " + after.name + " differ in their key");
    NftSetDelta delta{after.name, after.key, {}, {}};
    const auto& old = before.elements;
    const auto& now = after.elements;

    // An element equal in both lists at the same place is unchanged: keys
    // are unique within a set, so its key appears nowhere else in either.
    std::size_t head = 0;
    while (head < old.size() && head < now.size() && old[head] == now[head]) ++head;
    std::size_t old_end = old.size(), now_end = now.size();
    while (old_end > head && now_end > head && old[old_end - 1] == now[now_end - 1]) {
        --old_end;
        --now_end;
    }

    const KeyIndex was = sorted_keys(after.key, old, head, old_end);
    const KeyIndex is = sorted_keys(after.key, now, head, now_end);
    std::vector<std::uint32_t> removed, added;
    auto w = was.begin();
    auto i = is.begin();
    while (w != was.end() || i != is.end()) {
        if (i == is.end() || (w != was.end() && w->first < i->first)) {
            removed.push_back((w++)->second);
        } else if (w == was.end() || i->first < w->first) {
            added.push_back((i++)->second);
        } else {
            if (old[w->second].comment != now[i->second].comment) {
                removed.push_back(w->second);
                added.push_back(i->second);
            }
            ++w;
            ++i;
        }
    }
    delta.removed = pick(old, removed);
    delta.added = pick(now, added);
    return delta;
}

std::optional<std::vector<NftSetDelta>> diff_nft_rulesets(const NftRuleset& before, const NftRuleset& after) {
    if (before.chains != after.chains || before.sets.size() != after.sets.size()) return std::nullopt;
    std::vector<NftSetDelta> deltas;
    for (std::size_t s = 0; s < after.sets.size(); ++s) {
        const NftSet& was = before.sets[s];
        const NftSet& is = after.sets[s];
        // Compared by position: the builder emits sets in class order, so a
        // moved set means moved classes, which a delta cannot express.
        if (was.name != is.name || was.key != is.key || was.counter != is.counter) return std::nullopt;
        auto delta = diff_nft_set(was, is);
        if (!delta.empty()) deltas.push_back(std::move(delta));
    }
    return deltas;
}

}  // namespace winipsec::kernel
