#pragma once
// Tunnel rules: which copy of a tunnel filter is the one the tunnel carries,
// where its two gateways are, and which Windows rules form one tunnel. Both
// back ends need this (XFRM templates, IKE children), so it is decided here.
//
// Windows (spec windows-ipsec.md §8.6, E12): a tunnel rule's filters describe
// traffic ENTERING its tunnel endpoint. A site-to-site tunnel is two rules,
// each with non-mirrored filters: the outbound one names the remote gateway,
// the inbound one the host's own address. The plan, which knows no tunnels,
// gives a filter between two subnets (neither side `me`) both directions; for
// XFRM only the direction that agrees with the endpoint is real:
//  - endpoint is one of `me` -> packets come out of the tunnel: inbound;
//  - endpoint is remote      -> packets go into the tunnel: outbound;
//  - a mirror copy (mirrored tunnel filters: unsupported on Windows and
//    linted) runs the other way.
// The other copy must not become an `in`/`fwd` XFRM policy or an IKE child:
// it would demand a tunnel SA from clear LAN traffic the gateway forwards.
#include <map>
#include <optional>

#include "plan/plan.hpp"

namespace winipsec::plan {

struct TunnelEnds {
    std::optional<IpAddress> local;   // this host's gateway address; absent: the kernel picks (outbound) / any
    std::optional<IpAddress> remote;  // the peer gateway; absent: any peer (inbound rule without a partner)
};

class TunnelPairing {
public:
    explicit TunnelPairing(const Plan& plan);

    // False for the copy of a tunnel filter that runs against its tunnel;
    // true for every transport rule.
    bool applies(const PlanRule& rule) const;
    // The gateways of a tunnel rule. The endpoint the rule names is one end;
    // the other comes from the partner: the tunnel rule of the opposite
    // direction whose selector is this one's mirror image (E12).
    TunnelEnds ends(const PlanRule& rule) const;
    // The outbound rule an inbound tunnel rule pairs with, if any.
    const Rule* partner_of(const Rule* inbound_rule) const;

private:
    bool is_local(const IpAddress& address) const;
    Direction tunnel_direction(const PlanRule& rule) const;
    const PlanRule* partner(const PlanRule& rule) const;

    const Plan& plan_;
    std::map<std::pair<Direction, Selector>, const PlanRule*> by_selector_;
    std::map<const Rule*, const Rule*> partner_rules_;
};

}  // namespace winipsec::plan
