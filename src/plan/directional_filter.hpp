#pragma once
// A filter record as the IPsec driver sees it: one direction, `me` replaced by
// a concrete local address, the mirror as a record of its own (spec §8.2).
// Each keeps a pointer back to the Windows objects it came from so every
// decision can be traced to file:line:column.
#include <cstdint>
#include <vector>

#include "model/policy.hpp"

namespace winipsec::plan {

enum class Direction { Inbound, Outbound };

struct DirectionalFilter {
    FilterAddress source;
    FilterAddress destination;
    std::uint8_t protocol = 0;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    Direction direction = Direction::Inbound;
    bool is_mirror = false;  // the swapped copy of a mirrored record
    const Filter* filter = nullptr;
    const FilterList* filter_list = nullptr;
    const Rule* rule = nullptr;
    const FilterAction* action = nullptr;  // the rule's filter action

    // Same packet match set and same verdict: only one is worth keeping.
    bool same_match_and_verdict(const DirectionalFilter& other) const;
};

const char* to_string(Direction d);  // "Inbound" / "Outbound"

}  // namespace winipsec::plan
