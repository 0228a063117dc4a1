#include "plan/explain.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/filter.hpp"
#include "plan/order.hpp"

namespace winipsec::plan {

const char* to_string(PacketDirection d) {
    switch (d) {
        case PacketDirection::Inbound: return "inbound";
        case PacketDirection::Outbound: return "outbound";
        case PacketDirection::Both: return "both";
    }
    return "?";
}

namespace {

bool is_local(const Plan& plan, const IpAddress& a) {
    return std::find(plan.me.begin(), plan.me.end(), a) != plan.me.end();
}

bool is_multicast_or_broadcast(const IpAddress& a) {
    if (a.family == IpFamily::V4) return (a.bytes[0] & 0xF0) == 0xE0 || a.v4_value() == 0xFFFFFFFFu;
    return a.bytes[0] == 0xFF;
}

bool udp_or_tcp(const Packet& p) {
    return p.protocol == protocol::tcp || p.protocol == protocol::udp;
}

std::string why_first(const PlanRule& w, const PlanRule& l) {
    const Weight& a = w.weight;
    const Weight& b = l.weight;
    if (w.selector.subset_of(l.selector) && !l.selector.subset_of(w.selector))
        return "it is a strict subset of the other (more specific in every field)";
    if (a.address_bits != b.address_bits && a.protocol == b.protocol && a.ports == b.ports)
        return fmt::format("longer address masks ({} vs {} bits)", a.address_bits, b.address_bits);
    if (a.address_bits == b.address_bits && a.protocol != b.protocol) return "a specific protocol beats any";
    if (a.address_bits == b.address_bits && a.protocol == b.protocol && a.ports != b.ports)
        return fmt::format("more specific ports ({} vs {} given)", a.ports, b.ports);
    if (a.address_bits == b.address_bits && a.protocol == b.protocol && a.ports == b.ports) {
        if (a.action_rank != b.action_rank) return "identical filters: block > permit > negotiate";
        return "same weight: it comes first in the input";
    }
    return "partial overlap: ordered by the --tie-break rule";
}

}  // namespace

PacketDirection direction_of(const Plan& plan, const Packet& p) {
    const bool to_me = is_local(plan, p.destination);
    const bool from_me = is_local(plan, p.source);
    if (to_me && !from_me) return PacketDirection::Inbound;
    if (from_me && !to_me) return PacketDirection::Outbound;
    return PacketDirection::Both;
}

std::optional<Exemption> exemption_for(const Plan& plan, const Packet& p) {
    for (const auto& e : plan.exemptions) {
        switch (e.kind) {
            case ExemptionKind::Ike:
                if (p.protocol == protocol::udp && (p.source_port == 500 || p.destination_port == 500 ||
                                                    p.source_port == 4500 || p.destination_port == 4500))
                    return e;
                break;
            case ExemptionKind::BroadcastMulticast:
                if (is_multicast_or_broadcast(p.destination)) return e;
                break;
            case ExemptionKind::Rsvp:
                if (p.protocol == 46) return e;
                break;
            case ExemptionKind::Kerberos:
                if (udp_or_tcp(p) && (p.source_port == 88 || p.destination_port == 88)) return e;
                break;
        }
    }
    return std::nullopt;
}

const PlanRule* first_match(const Plan& plan, const Packet& packet, Direction direction) {
    for (const auto& r : plan.rules)
        if (r.direction == direction && r.selector.matches(packet)) return &r;
    return nullptr;
}

Explanation explain(const Plan& plan, const Packet& packet) {
    Explanation out;
    out.direction = direction_of(plan, packet);
    if (auto e = exemption_for(plan, packet)) {
        out.verdict = "exempt";
        out.exemption = e;
        out.reasons.push_back(e->description + "; no filter sees it");
        return out;
    }
    std::vector<const PlanRule*> matches;
    for (const auto& r : plan.rules) {
        const bool direction_ok = out.direction == PacketDirection::Both ||
                                  (out.direction == PacketDirection::Inbound) == (r.direction == Direction::Inbound);
        if (direction_ok && r.selector.matches(packet)) matches.push_back(&r);
    }
    if (matches.empty()) {
        out.verdict = "none";
        out.reasons.push_back("no filter matches: Windows passes the packet in clear");
        return out;
    }
    out.winner = matches.front();
    out.verdict = out.winner->verdict.name_for(out.winner->direction);
    out.reasons.push_back(fmt::format("matched {} filter {} (rank {} of {})", to_string(out.winner->direction),
                                      out.winner->selector.to_string(), out.winner->rank + 1, plan.rules.size()));
    constexpr std::size_t shown = 8;
    for (std::size_t i = 1; i < matches.size() && i <= shown; ++i)
        out.reasons.push_back(fmt::format("beat {} ({} {}): {}", matches[i]->origin(),
                                          matches[i]->verdict.name_for(matches[i]->direction),
                                          matches[i]->selector.to_string(), why_first(*out.winner, *matches[i])));
    if (matches.size() > shown + 1)
        out.reasons.push_back(fmt::format("... and {} more matching filters", matches.size() - shown - 1));
    return out;
}

}  // namespace winipsec::plan
