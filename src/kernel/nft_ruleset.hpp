#pragma once
// What winipsec owns in nftables, as plain values: the table `inet winipsec`
// with its sets, base chains and rules. build_nft_ruleset() decides it from a
// plan; render_nft_script() spells it as `nft -f` text; apply_nft_ruleset()
// (nft_batch.hpp) sends it as one netlink batch. Both outputs come from this
// one model, so the script a user reads is what the kernel gets.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plan/plan.hpp"

namespace winipsec::kernel {

inline constexpr std::string_view nft_table_name = "winipsec";  // family inet

// A field of a set key: what the rule loads into registers before the lookup.
enum class NftKeyField : std::uint8_t {
    Ip4Source,        // ip saddr
    Ip4Destination,   // ip daddr
    Ip6Source,        // ip6 saddr
    Ip6Destination,   // ip6 daddr
    Protocol,         // meta l4proto
    SourcePort,       // th sport
    DestinationPort,  // th dport
};

// What a field's bytes mean, for printing and for nft's datatype ids.
enum class NftValueType : std::uint8_t { Ipv4Address, Ipv6Address, Protocol, Port };

NftValueType value_type(NftKeyField field);
std::size_t value_length(NftValueType type);       // bytes: 4, 16, 1, 2
std::uint32_t nft_datatype_id(NftValueType type);  // nft's TYPE_IPADDR, ...: 7, 8, 12, 13
const char* nft_datatype_name(NftValueType type);  // "ipv4_addr", "ipv6_addr", "inet_proto", "inet_service"
const char* nft_expression(NftKeyField field);     // "ip saddr", "meta l4proto", "th dport", ...

// A field of a set key and how much of it counts. Address fields of a class
// whose filters name subnets are masked in the rule before the lookup
// (`ip saddr & 255.255.255.0 . ...`), so a plain hash set of network
// addresses matches every host of each subnet in one O(1) lookup, whatever
// the number of elements (spec §5.8). One prefix length per field and class:
// the plan's shape classes are keyed by both prefix lengths.
struct NftKeyPart {
    NftKeyField field;
    int prefix_length = 0;  // address fields: leading bits compared, the full width = no mask
    bool masked() const;    // an address field compared on fewer bits than it has
    auto operator<=>(const NftKeyPart&) const = default;
};

// One field of a set element, big-endian in the first value_length() bytes
// (addresses already masked to the field's prefix length).
using NftValue = std::array<std::uint8_t, 16>;

// "192.0.2.0/24" (an address compared on 24 bits), "192.0.2.1", "17", "1434".
std::string format_value(NftValueType type, std::span<const std::uint8_t> value, int prefix_length = -1);

struct NftSetElement {
    std::vector<NftValue> key;  // one per field of the set's key
    std::string comment;        // the Windows filter's file:line:col (nft element comment)
    bool operator==(const NftSetElement&) const = default;
};

// An element's key as one comparable value: each field's value_length()
// bytes in key order, zero-filled after the last. Sorting or hashing these
// identifies elements without a node per element (sets hold 100 000+).
using NftPackedKey = std::array<std::uint8_t, 2 * 16 + 3 * 4>;
NftPackedKey packed_key(std::span<const NftKeyPart> key, const NftSetElement& element);

// Exact-match sets only: nft picks its hash back end, whose lookup cost does
// not grow with the element count (interval/pipapo sets' does).
struct NftSet {
    std::string name;
    std::vector<NftKeyPart> key;
    bool counter = true;  // per-element counters, so `show` can say which filter matched
    std::vector<NftSetElement> elements;
    bool operator==(const NftSet&) const = default;
};

// The matches a rule can hold, in evaluation order. build_nft_ruleset puts a
// Family match before anything that reads an IP header: in an `inet` table
// the kernel would otherwise read IPv6 bytes as IPv4 ones.
struct NftMatchFamily {
    IpFamily family;
    bool operator==(const NftMatchFamily&) const = default;
};  // meta nfproto ipv4|ipv6
struct NftMatchProtocol {
    std::uint8_t protocol;
    bool equal = true;
    bool operator==(const NftMatchProtocol&) const = default;
};  // meta l4proto N | meta l4proto != N
struct NftMatchPort {
    bool source;
    std::uint16_t port;
    bool operator==(const NftMatchPort&) const = default;
};  // th sport|dport N (after a Protocol match)
struct NftMatchPacketType {
    std::uint8_t packet_type;
    bool operator==(const NftMatchPacketType&) const = default;
};  // meta pkttype (PACKET_BROADCAST, ...)
struct NftMatchDestination {
    plan::Prefix prefix;
    bool operator==(const NftMatchDestination&) const = default;
};  // ip|ip6 daddr prefix
struct NftMatchNonFirstFragment {
    IpFamily family;
    bool operator==(const NftMatchNonFirstFragment&) const = default;
};  // ip frag-off & 0x1fff != 0 | frag frag-off != 0
struct NftMatchIpsec {
    bool operator==(const NftMatchIpsec&) const = default;
};  // meta ipsec exists (packet has a secpath)
struct NftMatchUntracked {
    bool operator==(const NftMatchUntracked&) const = default;
};  // ct state untracked
struct NftMatchInputInterface {
    std::string name;
    bool operator==(const NftMatchInputInterface&) const = default;
};  // iifname "NAME"
struct NftMatchSet {
    std::string set;
    std::vector<NftKeyPart> key;
    bool operator==(const NftMatchSet&) const = default;
};  // field [& mask] . field ... @set

using NftMatch =
    std::variant<NftMatchFamily, NftMatchProtocol, NftMatchPort, NftMatchPacketType, NftMatchDestination,
                 NftMatchNonFirstFragment, NftMatchIpsec, NftMatchUntracked, NftMatchInputInterface, NftMatchSet>;

enum class NftVerdict { None, Accept, Drop };  // None: count and continue

struct NftRule {
    std::vector<NftMatch> matches;
    bool counter = true;
    NftVerdict verdict = NftVerdict::Accept;
    std::string comment;  // at most nft_comment_max bytes, no '"' (see sanitize_comment)
    bool operator==(const NftRule&) const = default;
};

enum class NftHook { Prerouting, Input, Output };
const char* to_string(NftHook hook);  // "prerouting", "input", "output"

// A base chain of type filter with policy accept: traffic no Windows filter
// matches is permitted (spec §9.2).
struct NftChain {
    std::string name;
    NftHook hook = NftHook::Input;
    int priority = 0;  // 0 = "filter"
    std::vector<NftRule> rules;
    bool operator==(const NftChain&) const = default;
};

struct NftRuleset {
    std::vector<NftSet> sets;  // declared before the chains that use them
    std::vector<NftChain> chains;
    bool operator==(const NftRuleset&) const = default;
};

// nft refuses longer comments (NFTNL_UDATA_COMMENT_MAXLEN) and has no escape
// for '"' inside a quoted string.
inline constexpr std::size_t nft_comment_max = 128;
std::string sanitize_comment(std::string_view text, std::size_t max = nft_comment_max);

// The ruleset that enforces `plan` (exemptions, one set + rule(s) per shape
// class in plan order, fragment handling).
NftRuleset build_nft_ruleset(const plan::Plan& plan);

// The sets build_nft_ruleset puts in the ruleset for class `c` of `plan`
// (none, "cN", "cN_other" or both), elements included: what a change to the
// class's filters touches in the kernel.
std::vector<NftSet> build_nft_class_sets(const plan::Plan& plan, const plan::ShapeClass& c);
// The same for some of the class's records only: the elements they
// contribute, in the sets they go to. In a class without port fields each
// record contributes one element to "cN" (none when the key is empty), at
// the record's place in the class.
std::vector<NftSet> build_nft_record_sets(const plan::ShapeClass& c, std::span<const plan::PlanRule> records);

}  // namespace winipsec::kernel
