#pragma once
// XFRM security policies as winipsec installs them (spec linux-targets.md §4),
// in Linux vocabulary: selector, template, direction, priority, index. The
// plan (src/plan) decides what they say; xfrm_plan.cpp translates, and
// xfrm_netlink.cpp / xfrm_apply.cpp only encode and send.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plan/prefix.hpp"

namespace winipsec::kernel {

// Values are the kernel's (XFRM_POLICY_IN/OUT/FWD, XFRM_POLICY_ALLOW/BLOCK,
// IPPROTO_ESP/AH/COMP, XFRM_MODE_*) so encoding is a cast. winipsec writes
// only ESP/AH in transport/tunnel mode; the others appear in dumps of
// foreign policies.
enum class XfrmDir : std::uint8_t { In = 0, Out = 1, Fwd = 2 };
enum class XfrmAction : std::uint8_t { Allow = 0, Block = 1 };
enum class XfrmProto : std::uint8_t { Esp = 50, Ah = 51, Comp = 108 };
enum class XfrmMode : std::uint8_t { Transport = 0, Tunnel = 1, Beet = 4 };

const char* to_string(XfrmDir dir);        // "in", "out", "fwd" (as `ip xfrm` spells them)
const char* to_string(XfrmAction action);  // "allow", "block"
const char* to_string(XfrmProto proto);    // "esp", "ah", "comp"
const char* to_string(XfrmMode mode);      // "transport", "tunnel", "beet"

// struct xfrm_selector. The kernel compares selectors with memcmp (spec §4.2:
// host bits are not masked, ifindex/user/unused ports count), so a policy's
// identity is only stable if every field is canonical; make() and
// canonical() are the only ways winipsec builds one.
struct XfrmSelector {
    plan::Prefix source;                 // host bits zero
    plan::Prefix destination;            // same family as source
    std::uint8_t protocol = 0;           // 0 = any
    std::uint16_t source_port = 0;       // ICMP/ICMPv6: the type (the kernel's flow puts it there)
    std::uint16_t source_port_mask = 0;  // 0xffff when source_port != 0, else 0
    std::uint16_t destination_port = 0;  // ICMP/ICMPv6: the code
    std::uint16_t destination_port_mask = 0;
    int ifindex = 0;  // winipsec never binds to an interface (connection types: see xfrm_plan.cpp)

    static XfrmSelector make(const plan::Prefix& source, const plan::Prefix& destination, std::uint8_t protocol = 0,
                             std::uint16_t source_port = 0, std::uint16_t destination_port = 0);
    // Host bits cleared, a port's mask 0xffff exactly when the port is set.
    XfrmSelector canonical() const;
    bool is_canonical() const { return canonical() == *this; }

    IpFamily family() const { return source.family(); }
    // `ip xfrm` selector syntax: "src 192.0.2.0/24 dst 0.0.0.0/0 proto udp dport 9"
    std::string to_string() const;

    auto operator<=>(const XfrmSelector&) const = default;
};

// struct xfrm_user_tmpl: the SA a packet must be (or, optional, may be)
// protected with. Addresses are the tunnel endpoints; the kernel treats a zero
// address as "any" when matching inbound SAs and picks a source address for
// outbound tunnels itself (xfrm_tmpl_resolve_one), so absent = zero.
struct XfrmTemplate {
    XfrmProto proto = XfrmProto::Esp;
    XfrmMode mode = XfrmMode::Transport;
    IpFamily family = IpFamily::V4;        // the kernel fills in the selector's family when 0; we always set it
    std::optional<IpAddress> source;       // tmpl saddr
    std::optional<IpAddress> destination;  // tmpl id.daddr
    std::uint32_t reqid = 0;
    bool optional = false;  // `level use`: the packet passes when no SA matches

    auto operator<=>(const XfrmTemplate&) const = default;
};

// A policy's identity as the kernel sees it for winipsec's policies (type
// MAIN, no mark, no if_id, no security context): direction + selector. The
// priority is NOT part of it (spec §4.2): NEWPOLICY on the same identity
// fails with EEXIST, UPDPOLICY replaces it in place and keeps its index.
struct XfrmIdentity {
    XfrmDir dir = XfrmDir::Out;
    XfrmSelector selector;
    auto operator<=>(const XfrmIdentity&) const = default;
};

struct XfrmPolicy {
    XfrmSelector selector;
    XfrmDir dir = XfrmDir::Out;
    XfrmAction action = XfrmAction::Allow;
    std::uint32_t priority = 0;           // lower = consulted first (spec §4.3)
    std::uint32_t index = 0;              // winipsec's ownership marker, see xfrm_index()
    std::vector<XfrmTemplate> templates;  // empty with Allow = clear-text bypass
    std::string origin;                   // for logs: the Windows filter it came from; never sent
    // Set by the dump: carries a mark, if_id, security context or is a SUB
    // policy, i.e. an identity winipsec never creates.
    bool foreign_keys = false;

    XfrmIdentity identity() const { return {dir, selector}; }
    // Index and priority both carry winipsec's markers (see below).
    bool ours() const;
    // What UPDPOLICY would change: action, priority, templates.
    bool same_content(const XfrmPolicy& other) const {
        return action == other.action && priority == other.priority && templates == other.templates;
    }
    bool operator==(const XfrmPolicy&) const = default;
};

// --- Ownership -----------------------------------------------------------
// The kernel honours a user-supplied policy index when `index & 7 == dir`
// (verify_newpolicy_info) and the index is unused; an index already in use
// is silently replaced by a generated one (xfrm_gen_index), and UPDPOLICY
// keeps the old index. Measured here (kernel 6.18): `ip xfrm policy add ...
// index 0xA5000029 dir out` lists index 2768240681; a second policy given the
// same index got index 8; `update` with another index kept 0xA5000029.
// Generated indexes count up from 8 in steps of 8 per netns, so the tag in
// the top byte is reached only after ~3.5e8 kernel-generated policies.
inline constexpr std::uint32_t xfrm_index_tag = 0xA5000000;  // "winipsec" in the top byte
inline constexpr std::uint32_t xfrm_index_tag_mask = 0xFF000000;
inline constexpr std::uint32_t xfrm_index_serials = 1u << 21;  // bits 3..23

constexpr std::uint32_t xfrm_index(std::uint32_t serial, XfrmDir dir) {
    return xfrm_index_tag | ((serial % xfrm_index_serials) << 3) | static_cast<std::uint32_t>(dir);
}
constexpr bool is_xfrm_index_ours(std::uint32_t index) {
    return (index & xfrm_index_tag_mask) == xfrm_index_tag;
}

// Priority band. strongSwan's automatic priorities are >= 68541 (spec §4.7:
// most specific PASS policy = 200000 - 131459), so winipsec's policies at
// [1000, 68540] pre-empt every policy charon installs without a manual
// `priority`. Exemptions (traffic Windows never filters, spec §8.8) sit in
// [1000, 1099], plan rules at 1100 + rank.
inline constexpr std::uint32_t xfrm_priority_first = 1000;
inline constexpr std::uint32_t xfrm_priority_rules = 1100;
inline constexpr std::uint32_t xfrm_priority_last = 68540;

constexpr bool is_xfrm_priority_ours(std::uint32_t priority) {
    return priority >= xfrm_priority_first && priority <= xfrm_priority_last;
}

// The `ip xfrm policy add ...` command lines, one per policy, that install
// exactly these policies (index included, so the ownership marker survives),
// each preceded by a "# origin" comment line;
// strip the leading "ip " for `ip -batch`. (xfrm_render.cpp)
std::string render_ip_xfrm(const std::vector<XfrmPolicy>& policies);

}  // namespace winipsec::kernel
