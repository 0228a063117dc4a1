// build_nft_ruleset: the nftables encoding of a plan (spec §9.2). The plan
// has already decided order, exemptions and verdicts; this file only chooses
// the nftables constructs.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "kernel/nft_ruleset.hpp"

namespace winipsec::kernel {
namespace {

using plan::Direction;
using plan::PlanRule;
using plan::ShapeClass;

// linux/if_packet.h
constexpr std::uint8_t packet_broadcast = 1;
constexpr std::uint8_t packet_multicast = 2;

constexpr std::uint8_t ip_protocol_rsvp = 46;
constexpr std::uint8_t ip_protocol_esp = 50;
constexpr std::uint8_t ip_protocol_ah = 51;

// Element comments name the Windows filter; long paths keep their tail.
constexpr std::size_t element_comment_max = 64;

bool carries_ports(std::uint8_t protocol) {
    return protocol == protocol::tcp || protocol == protocol::udp;
}

NftRule make_rule(std::vector<NftMatch> matches, NftVerdict verdict, std::string_view comment) {
    return NftRule{std::move(matches), true, verdict, sanitize_comment(comment)};
}

// ---------------------------------------------------------------- exemptions

std::string exemption_comment(const plan::Exemption& e) {
    return fmt::format("exemption {}: {}", plan::to_string(e.kind), e.description);
}

// Traffic Windows never hands to the IPsec filters (spec §8.8), accepted in
// both directions before any filter rule.
void add_exemption(const plan::Exemption& e, NftChain& input, NftChain& output) {
    const std::string comment = exemption_comment(e);
    auto both = [&](std::vector<NftMatch> matches) {
        input.rules.push_back(make_rule(matches, NftVerdict::Accept, comment));
        output.rules.push_back(make_rule(std::move(matches), NftVerdict::Accept, comment));
    };
    switch (e.kind) {
        case plan::ExemptionKind::Ike:
            // ISAKMP and NAT-T, from or to the port: replies and initial
            // packets alike, so IKE works under a block-all.
            for (const std::uint16_t port : {500, 4500})
                for (const bool source : {true, false})
                    both({NftMatchProtocol{protocol::udp}, NftMatchPort{source, port}});
            break;
        case plan::ExemptionKind::BroadcastMulticast:
            // Inbound, the link layer says what the packet was sent as; a
            // locally generated packet has no such mark yet, so outbound goes
            // by destination address. Subnet-directed broadcasts outbound are
            // not recognised (that would need the routing table: fib).
            input.rules.push_back(make_rule({NftMatchPacketType{packet_broadcast}}, NftVerdict::Accept, comment));
            input.rules.push_back(make_rule({NftMatchPacketType{packet_multicast}}, NftVerdict::Accept, comment));
            for (const char* prefix : {"224.0.0.0/4", "255.255.255.255/32", "ff00::/8"}) {
                const std::string_view text(prefix);
                const auto slash = text.find('/');
                const auto address = *IpAddress::parse(text.substr(0, slash));
                const int length = std::stoi(std::string(text.substr(slash + 1)));
                output.rules.push_back(
                    make_rule({NftMatchFamily{address.family}, NftMatchDestination{plan::Prefix::of(address, length)}},
                              NftVerdict::Accept, comment));
            }
            break;
        case plan::ExemptionKind::Rsvp: both({NftMatchProtocol{ip_protocol_rsvp}}); break;
        case plan::ExemptionKind::Kerberos:
            // Source OR destination port 88 (the hole KB 813878 warns about).
            for (const std::uint8_t proto : {protocol::tcp, protocol::udp})
                for (const bool source : {true, false}) both({NftMatchProtocol{proto}, NftMatchPort{source, 88}});
            break;
    }
}

// ---------------------------------------------------------------- classes

std::string element_comment(const PlanRule& r) {
    std::string where = r.filter ? r.filter->where.to_string() : std::string("?");
    if (r.is_mirror) where += " mirror";
    if (where.size() > element_comment_max) where = "..." + where.substr(where.size() - (element_comment_max - 3));
    return sanitize_comment(where, element_comment_max);
}

NftValue number_value(std::uint32_t value, std::size_t length) {
    NftValue v{};
    for (std::size_t i = 0; i < length; ++i) v[length - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    return v;
}

// One set lookup of a class: the set, the matches that guard it, and which
// of the class's filters it holds.
struct ClassLookup {
    NftSet set;                   // set.key empty: the guards alone decide
    std::vector<NftMatch> guard;  // after the family match, before the lookup
    std::string note;             // appended to the rule comments
    bool used = false;            // some filter of the class is in it

    void add(const PlanRule& r, std::uint8_t protocol) {
        used = true;
        if (set.key.empty()) return;
        const plan::Selector& s = r.selector;
        NftSetElement e;
        e.key.reserve(set.key.size());
        for (const auto& part : set.key) {
            switch (part.field) {
                case NftKeyField::Ip4Source:
                case NftKeyField::Ip6Source: e.key.push_back(s.source.address.masked(part.prefix_length).bytes); break;
                case NftKeyField::Ip4Destination:
                case NftKeyField::Ip6Destination:
                    e.key.push_back(s.destination.address.masked(part.prefix_length).bytes);
                    break;
                case NftKeyField::Protocol: e.key.push_back(number_value(protocol, 1)); break;
                case NftKeyField::SourcePort: e.key.push_back(number_value(s.source_port, 2)); break;
                case NftKeyField::DestinationPort: e.key.push_back(number_value(s.destination_port, 2)); break;
            }
        }
        e.comment = element_comment(r);
        set.elements.push_back(std::move(e));
    }

    // Filters reduced to the same key (two port filters on one subnet in the
    // "other protocols" lookup) go in once, the first in plan order keeping
    // its comment: the kernel rejects duplicate elements with EEXIST. Sorting
    // packed keys costs far less than a hash set of them at 100 000 filters.
    void drop_repeated_keys() {
        std::vector<std::pair<NftPackedKey, std::uint32_t>> keys(set.elements.size());
        for (std::size_t i = 0; i < keys.size(); ++i)
            keys[i] = {packed_key(set.key, set.elements[i]), static_cast<std::uint32_t>(i)};
        std::sort(keys.begin(), keys.end());
        std::vector<bool> repeated(keys.size(), false);
        for (std::size_t i = 1; i < keys.size(); ++i)
            if (keys[i].first == keys[i - 1].first) repeated[keys[i].second] = true;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < set.elements.size(); ++i) {
            if (repeated[i]) continue;
            if (kept != i) set.elements[kept] = std::move(set.elements[i]);  // never onto itself
            ++kept;
        }
        set.elements.resize(kept);
    }
};

// The address part of a class's key. A /0 side matches every address: it is
// left out. Every filter of the class has the same prefix lengths (the plan
// keys shape classes by them), so one mask per field serves all elements.
std::vector<NftKeyPart> address_key(const ShapeClass& c) {
    const bool v4 = c.family == IpFamily::V4;
    std::vector<NftKeyPart> key;
    if (c.source_length > 0) key.push_back({v4 ? NftKeyField::Ip4Source : NftKeyField::Ip6Source, c.source_length});
    if (c.destination_length > 0)
        key.push_back({v4 ? NftKeyField::Ip4Destination : NftKeyField::Ip6Destination, c.destination_length});
    return key;
}

// The lookups of one class, in the order its rules go in the chain. Their
// elements are disjoint (filters of one class are identical or disjoint, and
// the lookups split by protocol), so the order between them is free.
std::vector<ClassLookup> candidate_lookups(const ShapeClass& c, std::span<const PlanRule> rules) {
    const auto addresses = address_key(c);
    const bool ports = c.source_port || c.destination_port;
    if (!ports) {
        ClassLookup only;
        only.set.key = addresses;
        if (c.protocol) only.set.key.push_back({NftKeyField::Protocol});
        for (const auto& r : rules) only.add(r, r.selector.protocol);
        return {std::move(only)};
    }
    // Ports constrain TCP and UDP only (spec §8.2): a filter with ports
    // matches those two protocols on its ports, every other protocol on
    // addresses alone (with a protocol that has no ports, E18, the ports
    // constrain nothing). So a port class becomes an exact lookup with the
    // ports for TCP/UDP and one without them for the rest; with ranges
    // instead, one interval set could hold both, at a per-packet cost that
    // grows with the element count.
    ClassLookup with_ports, other;
    with_ports.set.key = addresses;
    with_ports.set.key.push_back({NftKeyField::Protocol});
    if (c.source_port) with_ports.set.key.push_back({NftKeyField::SourcePort});
    if (c.destination_port) with_ports.set.key.push_back({NftKeyField::DestinationPort});
    other.set.key = addresses;
    other.note = " other protocols";
    if (c.protocol) {
        other.set.key.push_back({NftKeyField::Protocol});
        for (const auto& r : rules)
            (carries_ports(r.selector.protocol) ? with_ports : other).add(r, r.selector.protocol);
    } else {
        other.guard = {NftMatchProtocol{protocol::tcp, false}, NftMatchProtocol{protocol::udp, false}};
        for (const auto& r : rules) {
            with_ports.add(r, protocol::tcp);
            with_ports.add(r, protocol::udp);
            other.add(r, protocol::any);
        }
    }
    return {std::move(with_ports), std::move(other)};
}

// The lookups class `c` gets: those some filter of it uses, their sets
// named and free of repeated keys. The one place that decides a class's
// sets, for the whole ruleset and for a single class's delta alike.
std::vector<ClassLookup> class_lookups(const ShapeClass& c, std::span<const PlanRule> rules) {
    auto candidates = candidate_lookups(c, rules);
    std::vector<ClassLookup> lookups;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        auto& lookup = candidates[i];
        if (!lookup.used) continue;
        if (!lookup.set.key.empty()) {
            lookup.drop_repeated_keys();
            lookup.set.name = i == 0 ? fmt::format("c{}", c.id) : fmt::format("c{}_other", c.id);
        }
        lookups.push_back(std::move(lookup));
    }
    return lookups;
}

std::span<const PlanRule> class_rules(const plan::Plan& plan, const ShapeClass& c) {
    const auto first = static_cast<std::size_t>(c.first_rank);
    return {plan.rules.data() + first, c.size};
}

std::string rule_names(std::span<const PlanRule> rules) {
    std::vector<const Rule*> distinct;
    for (const auto& r : rules)
        if (std::find(distinct.begin(), distinct.end(), r.rule) == distinct.end()) distinct.push_back(r.rule);
    std::string text = fmt::format("rule '{}'", distinct.front() ? distinct.front()->name : "?");
    if (distinct.size() > 1) text += fmt::format(" +{} more", distinct.size() - 1);
    return text;
}

void add_verdict_rules(const ShapeClass& c, const std::vector<NftMatch>& matches, const std::string& what,
                       NftChain& chain) {
    if (c.verdict.action == ActionKind::Block) {
        chain.rules.push_back(make_rule(matches, NftVerdict::Drop, what));
    } else if (c.verdict.action == ActionKind::Permit) {
        chain.rules.push_back(make_rule(matches, NftVerdict::Accept, what));
    } else if (c.direction == Direction::Outbound) {
        // The kernel looks up XFRM policy at route lookup, before the output
        // hook (spec §9.2): by now the packet is about to be transformed.
        chain.rules.push_back(make_rule(matches, NftVerdict::Accept, what));
    } else if (c.verdict.inbound_passthrough || c.verdict.fallback_to_clear) {
        // inpass: clear inbound is accepted (spec §8.5). soft: Windows accepts
        // clear packets from a peer that left IKE unanswered; nothing here
        // knows which peers those are, so clear inbound is accepted as well.
        chain.rules.push_back(make_rule(matches, NftVerdict::Accept, what + " (clear accepted)"));
    } else {
        // A decrypted packet carries a secpath; the XFRM inbound policy check
        // that follows decides whether its SA was the right one.
        auto protected_matches = matches;
        protected_matches.push_back(NftMatchIpsec{});
        chain.rules.push_back(make_rule(std::move(protected_matches), NftVerdict::Accept, what + " (protected)"));
        // Clear text where IPsec is required: Windows drops it and counts
        // STATUS_IPSEC_CLEAR_TEXT_DROP 0xC0360007 (spec §10).
        chain.rules.push_back(make_rule(matches, NftVerdict::Drop, what + " STATUS_IPSEC_CLEAR_TEXT_DROP"));
    }
}

void add_class(const ShapeClass& c, std::span<const PlanRule> rules, NftRuleset& ruleset, NftChain& chain) {
    const std::string what =
        fmt::format("c{} {} {} {}", c.id, to_string(c.direction), c.verdict.name_for(c.direction), rule_names(rules));
    for (auto& lookup : class_lookups(c, rules)) {
        std::vector<NftMatch> matches{NftMatchFamily{c.family}};
        matches.insert(matches.end(), lookup.guard.begin(), lookup.guard.end());
        if (!lookup.set.key.empty()) {
            matches.push_back(NftMatchSet{lookup.set.name, lookup.set.key});
            ruleset.sets.push_back(std::move(lookup.set));
        }
        add_verdict_rules(c, matches, what + lookup.note, chain);
    }
}

// ---------------------------------------------------------------- fragments

// Non-first fragments carry no transport header, so a port match never sees
// them (spec §5.7). `--fragments block-non-first`: drop them for the
// protocols that port-specific block filters name. What reaches these hooks
// (measured, see add_reassembly): IPv6 fragments at input; IPv4 fragments
// only from raw sockets that fragment themselves (input sees IPv4
// reassembled, output sees datagrams before the stack fragments them).
void add_fragment_blocks(const plan::Plan& plan, Direction direction, NftChain& chain) {
    std::set<std::pair<IpFamily, std::uint8_t>> targets;
    for (const auto& r : plan.rules) {
        if (r.direction != direction || r.verdict.action != ActionKind::Block || !r.selector.has_ports()) continue;
        const IpFamily family = r.selector.source.family();
        if (r.selector.protocol == protocol::any) {
            targets.insert({family, protocol::tcp});
            targets.insert({family, protocol::udp});
        } else if (carries_ports(r.selector.protocol)) {
            targets.insert({family, r.selector.protocol});
        }
    }
    for (const auto& [family, proto] : targets)
        chain.rules.push_back(make_rule(
            {NftMatchFamily{family}, NftMatchProtocol{proto}, NftMatchNonFirstFragment{family}}, NftVerdict::Drop,
            fmt::format("non-first {} fragments: port-specific block filters cannot "
                        "see their ports (fragments block-non-first)",
                        protocol_name(proto))));
}

// `--fragments reassemble`. Measured here (kernel 6.18, two namespaces, a
// 3000-byte UDP datagram to a port permitted inside a block-all):
//  - IPv4 arrives whole at the input hook without help: ip_local_deliver()
//    reassembles before NF_INET_LOCAL_IN; locally sent datagrams are only
//    fragmented after the output hook.
//  - IPv6 does not: its fragments reach the input hook one by one (the
//    reassembly is an extension-header handler that runs after the hook), the
//    non-first ones miss the port rule and the block-all drops them.
//    Any ct expression in the table makes the kernel load conntrack for the
//    namespace, which registers nf_defrag_ipv6 at priority -400 in prerouting
//    and output; then the datagram reaches the filter whole.
// So the helper chain is only added when an IPv6 filter names ports. It
// costs connection tracking for the whole namespace.
void add_reassembly(const plan::Plan& plan, NftRuleset& ruleset) {
    const bool needed = std::any_of(plan.rules.begin(), plan.rules.end(), [](const PlanRule& r) {
        return r.selector.has_ports() && r.selector.source.family() == IpFamily::V6;
    });
    if (!needed) return;
    NftChain defrag{"defrag", NftHook::Prerouting, -150, {}};
    NftRule rule = make_rule({NftMatchUntracked{}}, NftVerdict::None,
                             "loads conntrack so IPv6 fragments are reassembled before the filter (fragments "
                             "reassemble)");
    defrag.rules.push_back(std::move(rule));
    ruleset.chains.push_back(std::move(defrag));
}

}  // namespace

NftRuleset build_nft_ruleset(const plan::Plan& plan) {
    NftRuleset ruleset;
    NftChain input{"input", NftHook::Input, 0, {}};
    NftChain output{"output", NftHook::Output, 0, {}};

    for (const auto& e : plan.exemptions) add_exemption(e, input, output);

    // ESP and AH are the outer packets of negotiate rules: the kernel's SAs
    // consume them and the inner packets come through these chains again.
    // Without negotiate rules they are ordinary traffic the filters decide
    // about (spec E8: a permit for 50/51 is then the administrator's call).
    const bool negotiates = std::any_of(plan.rules.begin(), plan.rules.end(),
                                        [](const PlanRule& r) { return r.verdict.action == ActionKind::Negotiate; });
    if (negotiates) {
        for (const std::uint8_t proto : {ip_protocol_esp, ip_protocol_ah}) {
            const std::string comment = fmt::format("{}: outer packets of negotiate rules, the SAs decide",
                                                    proto == ip_protocol_esp ? "ESP" : "AH");
            input.rules.push_back(make_rule({NftMatchProtocol{proto}}, NftVerdict::Accept, comment));
            output.rules.push_back(make_rule({NftMatchProtocol{proto}}, NftVerdict::Accept, comment));
        }
    }

    if (plan.depends_on_ports && plan.fragments == plan::FragmentRule::BlockNonFirst) {
        add_fragment_blocks(plan, Direction::Inbound, input);
        add_fragment_blocks(plan, Direction::Outbound, output);
    }

    for (const auto& c : plan.classes)
        add_class(c, class_rules(plan, c), ruleset, c.direction == Direction::Inbound ? input : output);

    ruleset.chains.push_back(std::move(input));
    ruleset.chains.push_back(std::move(output));
    if (plan.depends_on_ports && plan.fragments == plan::FragmentRule::Reassemble) add_reassembly(plan, ruleset);
    return ruleset;
}

std::vector<NftSet> build_nft_class_sets(const plan::Plan& plan, const plan::ShapeClass& c) {
    std::vector<NftSet> sets;
    for (auto& lookup : class_lookups(c, class_rules(plan, c)))
        if (!lookup.set.key.empty()) sets.push_back(std::move(lookup.set));
    return sets;
}

std::vector<NftSet> build_nft_record_sets(const plan::ShapeClass& c, std::span<const plan::PlanRule> records) {
    std::vector<NftSet> sets;
    for (auto& lookup : class_lookups(c, records))
        if (!lookup.set.key.empty()) sets.push_back(std::move(lookup.set));
    return sets;
}

}  // namespace winipsec::kernel
