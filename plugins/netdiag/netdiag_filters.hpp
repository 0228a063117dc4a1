#pragma once
// Reads the layout of `netdiag /test:ipsec /debug` (spec windows-ipsec.md
// §7.1): the policy line, then one block per directional filter the Policy
// Agent gave the driver. Also reads what `winipsec translate --target
// listing` prints, which follows that layout and adds a `Source :` line.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/filter_action.hpp"
#include "model/ip_address.hpp"
#include "plugins/netdiag/listing_text.hpp"

namespace winipsec::listing {

enum class ListedDirection { Inbound, Outbound };

struct ListedEnd {
    IpAddress address;
    int prefix_length = 0;
    bool operator==(const ListedEnd&) const = default;
};

struct ListedFilter {
    std::string name;  // the line before `Filter Id`; "No Name" when the filter has none
    std::string filter_id;
    std::string policy_id;  // the negotiation policy (filter action) GUID [I] §7.1
    ListedEnd source, destination;
    std::uint8_t protocol = 0;
    std::uint16_t source_port = 0, destination_port = 0;
    std::optional<IpAddress> tunnel;  // TunnelFilter: Yes
    ListedDirection direction = ListedDirection::Inbound;
    ActionKind action = ActionKind::Block;
    bool inbound_passthrough = false;
    bool fallback_to_clear = false;
    SourceLocation where;  // the block's first line
};

struct NetdiagListing {
    std::optional<std::string> policy_name;
    SourceLocation policy_at;
    bool directory_policy = false;  // "Directory IPSec Policy Active" (a domain GPO) [I]
    std::string policy_path;
    bool no_policy_assigned = false;  // "... but no policy is assigned."
    SourceLocation no_policy_at;
    std::optional<unsigned long> declared_filters;  // "There are N filters"
    SourceLocation declared_at;
    std::vector<ListedFilter> filters;
};

NetdiagListing read_netdiag_listing(std::span<const ListingLine> lines, Diagnostics& diagnostics);

// How many lines carry a netdiag filter label (for recognise()).
int count_netdiag_lines(std::span<const ListingLine> lines);

}  // namespace winipsec::listing
