#pragma once
// What the plan does with one packet, and why: the engine behind
// `winipsec explain` and the lint checks that probe sample packets.
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace winipsec::plan {

enum class PacketDirection { Inbound, Outbound, Both };
const char* to_string(PacketDirection d);  // "inbound", "outbound", "both"

struct Explanation {
    // block, permit, negotiate, negotiate-inpass, negotiate-soft, exempt, none
    std::string verdict;
    PacketDirection direction = PacketDirection::Both;
    const PlanRule* winner = nullptr;
    std::optional<Exemption> exemption;
    std::vector<std::string> reasons;  // why it won: the filters it beat, by which criterion
};

// The direction Windows sees: to `me` = inbound, from `me` = outbound; a
// packet neither from nor to a local address is checked against both.
PacketDirection direction_of(const Plan& plan, const Packet& packet);
// Exemptions first (spec §8.8), then the first matching rule in order.
Explanation explain(const Plan& plan, const Packet& packet);
// The first rule in order that matches `packet` travelling in `direction`.
const PlanRule* first_match(const Plan& plan, const Packet& packet, Direction direction);
std::optional<Exemption> exemption_for(const Plan& plan, const Packet& packet);

}  // namespace winipsec::plan
