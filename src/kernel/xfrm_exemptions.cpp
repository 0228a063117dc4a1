// XFRM bypass policies for the traffic Windows never hands to its filters
// (spec windows-ipsec.md §8.1, §8.8), where a negotiate rule would otherwise
// catch it: without them a Kerberos request to a domain controller inside a
// "require ESP" subnet would wait for an SA that needs Kerberos to be set up.
// IKE is bypassed too: charon's sockets bypass XFRM by themselves (spec
// linux-targets.md §4.5) but kernel-libipsec's do not (§7 point 1).
// Not expressible here: directed broadcasts of the local subnets (XFRM knows
// no "broadcast" and the plan carries only host addresses); nftables sees
// them by packet type. Forwarded traffic (`fwd`) gets no exemptions: only
// tunnel traffic is forwarded through winipsec's policies.
#include "kernel/xfrm_exemptions.hpp"

#include <algorithm>

#include "model/filter.hpp"

namespace winipsec::kernel {
namespace {

using plan::Prefix;
using plan::Selector;

Prefix prefix(const char* text, int length) { return Prefix::of(*IpAddress::parse(text), length); }

// The selectors of one exemption kind in one family, any address to any.
std::vector<Selector> exemption_selectors(plan::ExemptionKind kind, IpFamily family) {
    const Prefix any = Prefix::any(family);
    std::vector<Selector> out;
    auto both_ports = [&](std::uint8_t proto, std::uint16_t port) {
        out.push_back({any, any, proto, port, 0});
        out.push_back({any, any, proto, 0, port});
    };
    switch (kind) {
        case plan::ExemptionKind::Ike:
            both_ports(protocol::udp, 500);
            both_ports(protocol::udp, 4500);
            break;
        case plan::ExemptionKind::Kerberos:
            both_ports(protocol::tcp, 88);
            both_ports(protocol::udp, 88);
            break;
        case plan::ExemptionKind::Rsvp: out.push_back({any, any, 46, 0, 0}); break;
        case plan::ExemptionKind::BroadcastMulticast:
            if (family == IpFamily::V4) {
                out.push_back({any, prefix("224.0.0.0", 4), 0, 0, 0});
                out.push_back({any, prefix("255.255.255.255", 32), 0, 0, 0});
            } else {
                out.push_back({any, prefix("ff00::", 8), 0, 0, 0});
            }
            break;
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
        for (const auto& exemption : plan.exemptions) {
            for (const auto& s : exemption_selectors(exemption.kind, family)) {
                const bool needed = std::any_of(negotiated.begin(), negotiated.end(),
                                                [&](const Selector* n) { return s.overlaps(*n); });
                if (!needed) continue;
                XfrmPolicy p;
                p.selector = XfrmSelector::make(s.source, s.destination, s.protocol, s.source_port,
                                                s.destination_port);
                p.dir = dir;
                p.action = XfrmAction::Allow;
                p.priority = std::min(priority++, xfrm_priority_rules - 1);
                p.origin = "exemption: " + exemption.description;
                out.push_back(std::move(p));
            }
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
