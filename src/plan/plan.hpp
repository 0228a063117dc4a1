#pragma once
// The kernel-neutral plan: what a Windows policy means on this host, as an
// ordered list of directional rules. Back ends (src/kernel, src/ike) only
// encode it; they never look at Windows objects except through the
// back-pointers kept here for tracing decisions to file:line:column.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/policy.hpp"
#include "plan/exemptions.hpp"
#include "plan/selector.hpp"

namespace winipsec::plan {

enum class Direction { Inbound, Outbound };
const char* to_string(Direction d);  // "inbound" / "outbound"

// The action as it acts on packets. Negotiate carries the two flags that
// change what happens to clear traffic (spec §8.5).
struct Verdict {
    ActionKind action = ActionKind::Permit;
    bool inbound_passthrough = false;  // inpass: clear inbound accepted
    bool fallback_to_clear = false;    // soft: clear allowed when the peer does not answer IKE
    // "block", "permit", "negotiate", "negotiate-inpass", "negotiate-soft" as
    // they apply to a packet travelling in `direction`.
    std::string name_for(Direction direction) const;
    auto operator<=>(const Verdict&) const = default;
};

// How ambiguous partial overlaps are ordered (spec §8.4 point 5).
enum class TieBreak { Address, Protocol };

// Non-first fragments carry no ports (spec §8.2; issue 3 point 5).
enum class FragmentRule {
    Reassemble,     // back end reassembles (nft conntrack defrag) so ports are seen
    BlockNonFirst,  // drop non-first fragments that could match a port-specific block
    Ignore,         // do nothing special (documented risk)
};

struct Weight {
    int address_bits = 0;  // source + destination prefix lengths
    int protocol = 0;      // 1 when a protocol is given
    int ports = 0;         // number of port fields given
    int action_rank = 0;   // block 2 > permit 1 > negotiate 0 (spec §8.4 point 4)
    auto operator<=>(const Weight&) const = default;
};

struct PlanRule {
    Selector selector;
    Direction direction = Direction::Inbound;
    Verdict verdict;
    std::optional<IpAddress> tunnel_endpoint;  // resolved; absent = transport
    ConnectionType connection_type = ConnectionType::All;
    Weight weight;
    int rank = 0;         // position in the order, 0 = consulted first
    int shape_class = 0;  // rules of one class differ only in address/port values
    // Where it came from.
    const Policy* policy = nullptr;
    const Rule* rule = nullptr;
    const FilterList* filter_list = nullptr;
    const Filter* filter = nullptr;
    const FilterAction* action = nullptr;  // offers and PFS for negotiate
    bool is_mirror = false;                // the swapped copy of a mirrored filter

    std::string origin() const;  // "policy 'P' rule 'R' filter list 'L' at file:line:col"
};

// What a set of rules of one shape has in common (a back end puts one class
// in one nft set / map).
struct ShapeClass {
    int id = 0;
    Direction direction = Direction::Inbound;
    Verdict verdict;
    IpFamily family = IpFamily::V4;
    int source_length = 0;
    int destination_length = 0;
    bool protocol = false;
    bool source_port = false;
    bool destination_port = false;
    int first_rank = 0;
    std::size_t size = 0;
};

struct PlanOptions {
    std::vector<IpAddress> me;  // the host's addresses for `me`
    // --server KIND=ADDR overrides; absent kinds come from the host.
    std::map<ServerKind, std::vector<IpAddress>> servers;
    bool resolve_from_host = true;         // read resolv.conf, routes, leases, DNS for names/keywords
    std::optional<int> no_default_exempt;  // overrides the store and the Windows version
    WindowsVersion windows_version = WindowsVersion::Server2003;
    TieBreak tie_break = TieBreak::Address;
    FragmentRule fragments = FragmentRule::Reassemble;
    std::string policy_name;       // translate this static policy instead of the assigned one
    bool include_dynamic = false;  // add dynamic policy (volatile) after static
    // --as-peer-of: the input was exported on the Windows host with this
    // address; `me` above is then THIS host (see plan/counterpart.hpp).
    std::optional<IpAddress> counterpart_of;
};

struct Plan {
    const Policy* policy = nullptr;  // the static policy translated; null = none assigned
    std::vector<PlanRule> rules;     // in order: rules[i].rank == i
    std::vector<ShapeClass> classes;
    std::vector<Exemption> exemptions;  // consulted before any rule
    int no_default_exempt = 3;
    FragmentRule fragments = FragmentRule::Reassemble;
    bool depends_on_ports = false;  // some rule constrains ports (fragments matter)
    std::size_t dropped_duplicates = 0;  // rules order_rules left out: an identical one wins
    std::vector<IpAddress> me;
};

}  // namespace winipsec::plan
