// XFRM bypass policies for the traffic Windows never hands to its filters
// (spec windows-ipsec.md §8.1, §8.8), where a negotiate rule would otherwise
// catch it: without them a Kerberos request to a domain controller inside a
// "require ESP" subnet would wait for an SA that needs Kerberos to be set up.
// IKE is bypassed too: charon's sockets bypass XFRM by themselves (spec
// linux-targets.md §4.5) but kernel-libipsec's do not (§7 point 1).
//
// One bypass is Linux's own, not a Windows exemption: IPv6 neighbour
// discovery (ICMPv6 133-137). The kernel sends NS/NA through xfrm_lookup
// (ndisc_send_skb) and checks received ICMPv6 against `in` policies
// (icmpv6_rcv), so a "require" policy over an IPv6 subnet would cut the
// link-layer resolution its own IKE traffic needs.
//
// Not expressible here: directed broadcasts of the local subnets (XFRM knows
// no "broadcast" and the plan carries only host addresses); nftables sees
// them by packet type. Forwarded traffic (`fwd`) gets no exemptions: only
// tunnel traffic is forwarded through winipsec's policies.
#include "kernel/xfrm_exemptions.hpp"

#include <algorithm>
#include <string>

#include "model/filter.hpp"

namespace winipsec::kernel {
namespace {

using plan::Prefix;
using plan::Selector;

constexpr std::uint8_t icmpv6 = 58;

// One bypass: what it matches in the plan's terms (to test overlap with
// negotiate rules) and as an XFRM selector.
struct Bypass {
    Selector match;
    XfrmSelector selector;
    std::string origin;
};

Prefix prefix(const char* text, int length) {
    return Prefix::of(*IpAddress::parse(text), length);
}

Bypass plain(const Selector& s, const std::string& origin) {
    return {s, XfrmSelector::make(s.source, s.destination, s.protocol, s.source_port, s.destination_port), origin};
}

std::vector<Bypass> bypasses(const plan::Exemption& exemption, IpFamily family) {
    const Prefix any = Prefix::any(family);
    const std::string origin = "exemption: " + exemption.description;
    std::vector<Bypass> out;
    auto both_ports = [&](std::uint8_t proto, std::uint16_t port) {
        out.push_back(plain({any, any, proto, port, 0}, origin));
        out.push_back(plain({any, any, proto, 0, port}, origin));
    };
    switch (exemption.kind) {
        case plan::ExemptionKind::Ike:
            both_ports(protocol::udp, 500);
            both_ports(protocol::udp, 4500);
            break;
        case plan::ExemptionKind::Kerberos:
            both_ports(protocol::tcp, 88);
            both_ports(protocol::udp, 88);
            break;
        case plan::ExemptionKind::Rsvp: out.push_back(plain({any, any, 46, 0, 0}, origin)); break;
        case plan::ExemptionKind::BroadcastMulticast:
            if (family == IpFamily::V4) {
                out.push_back(plain({any, prefix("224.0.0.0", 4), 0, 0, 0}, origin));
                out.push_back(plain({any, prefix("255.255.255.255", 32), 0, 0, 0}, origin));
            } else {
                out.push_back(plain({any, prefix("ff00::", 8), 0, 0, 0}, origin));
            }
            break;
    }
    return out;
}

// ICMP selectors carry the type in the source-port field of the flow
// (`ip xfrm ... proto 58 type 135`).
std::vector<Bypass> neighbour_discovery() {
    const Prefix any = Prefix::any(IpFamily::V6);
    std::vector<Bypass> out;
    for (std::uint16_t type = 133; type <= 137; ++type) {
        XfrmSelector s = XfrmSelector::make(any, any, icmpv6, type, 0);
        out.push_back({{any, any, icmpv6, 0, 0},
                       s,
                       "exemption (Linux): IPv6 neighbour discovery (ICMPv6 133-137) must stay clear"});
    }
    return out;
}

void add_for(XfrmDir dir, const std::vector<const plan::PlanRule*>& rules, const plan::Plan& plan,
             std::uint32_t& priority, std::vector<XfrmPolicy>& out) {
    for (const IpFamily family : {IpFamily::V4, IpFamily::V6}) {
        std::vector<const Selector*> negotiated;
        for (const auto* r : rules)
            if (r->verdict.action == ActionKind::Negotiate && r->selector.source.family() == family)
                negotiated.push_back(&r->selector);
        if (negotiated.empty()) continue;
        std::vector<Bypass> candidates;
        for (const auto& exemption : plan.exemptions) {
            auto more = bypasses(exemption, family);
            candidates.insert(candidates.end(), more.begin(), more.end());
        }
        if (family == IpFamily::V6) {
            auto nd = neighbour_discovery();
            candidates.insert(candidates.end(), nd.begin(), nd.end());
        }
        for (const auto& c : candidates) {
            const bool needed = std::any_of(negotiated.begin(), negotiated.end(),
                                            [&](const Selector* n) { return c.match.overlaps(*n); });
            if (!needed) continue;
            XfrmPolicy p;
            p.selector = c.selector;
            p.dir = dir;
            p.action = XfrmAction::Allow;
            p.priority = std::min(priority++, xfrm_priority_rules - 1);
            p.origin = c.origin;
            out.push_back(std::move(p));
        }
    }
}

}  // namespace

std::vector<XfrmPolicy> xfrm_exemption_policies(const plan::Plan& plan,
                                                const std::vector<const plan::PlanRule*>& outbound,
                                                const std::vector<const plan::PlanRule*>& inbound) {
    std::vector<XfrmPolicy> out;
    std::uint32_t priority = xfrm_priority_first;
    add_for(XfrmDir::Out, outbound, plan, priority, out);
    add_for(XfrmDir::In, inbound, plan, priority, out);
    return out;
}

}  // namespace winipsec::kernel
