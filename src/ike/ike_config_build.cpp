#include "ike/ike_config_build.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ike/ike_proposals.hpp"
#include "plan/tunnel_pairing.hpp"

namespace winipsec::ike {

using plan::Direction;
using plan::PlanRule;
using plan::Prefix;

namespace {

// swanctl section names and VICI keys: keep them to a charset every tool
// quotes the same way.
std::string section_name(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '_' || c == '.';
        out += plain ? c : '_';
    }
    return out;
}

std::string protocol_keyword(std::uint8_t protocol) {
    switch (protocol) {
        case 1: return "icmp";
        case 6: return "tcp";
        case 17: return "udp";
        case 58: return "ipv6-icmp";
        default: return std::to_string(protocol);
    }
}

// "[udp/1434]", "[tcp]", "" -- the protocol/port suffix of a traffic selector.
std::string ts_suffix(std::uint8_t protocol, std::uint16_t port) {
    if (protocol == 0) return "";
    if (port == 0) return "[" + protocol_keyword(protocol) + "]";
    return fmt::format("[{}/{}]", protocol_keyword(protocol), port);
}

std::string cidr(const Prefix& p) {
    return p.address.to_string() + "/" + std::to_string(p.length);
}

// An address for local_addrs/remote_addrs: a host, a subnet (charon accepts
// CIDR as a responder), or none for any.
std::vector<std::string> addrs_of(const Prefix& p) {
    if (p.is_any()) return {};
    return {p.length == p.address.bit_width() ? p.address.to_string() : cidr(p)};
}

bool is_me(const plan::Plan& plan, const Prefix& p) {
    return p.length == p.address.bit_width() && std::find(plan.me.begin(), plan.me.end(), p.address) != plan.me.end();
}

bool contains_me(const plan::Plan& plan, const Prefix& p) {
    return std::any_of(plan.me.begin(), plan.me.end(), [&](const IpAddress& a) { return p.contains(a); });
}

struct Ends {
    Prefix local;
    Prefix remote;
    std::uint16_t local_port = 0;
    std::uint16_t remote_port = 0;
};

Ends ends_of(const PlanRule& r) {
    const auto& s = r.selector;
    if (r.direction == Direction::Outbound) return {s.source, s.destination, s.source_port, s.destination_port};
    return {s.destination, s.source, s.destination_port, s.source_port};
}

struct ChosenAuth {
    std::string method;  // "psk" | "pubkey"
    const AuthMethod* windows = nullptr;
    std::optional<Secret> psk;
};

// Windows tries the rule's methods in order (spec §8.6); charon offers one
// per peer config in IKEv1, so the first one charon has wins.
std::optional<ChosenAuth> choose_auth(const Rule& rule, const IkeBuildOptions& options, Diagnostics& diagnostics) {
    const AuthMethod* chosen = nullptr;
    for (const auto& m : rule.authentication) {
        if (m.kind == AuthKind::Kerberos) continue;
        if (!chosen) {
            chosen = &m;
        } else {
            diagnostics.note("N-IKE-AUTH-ALTERNATIVE", m.where,
                             fmt::format("rule '{}': charon offers one IKEv1 authentication method per connection; "
                                         "{} is used, this {} method is not offered",
                                         rule.name, to_string(chosen->kind), to_string(m.kind)));
        }
    }
    if (!chosen) {
        if (options.kerberos_fallback) {
            diagnostics.warning("W-IKE-KERBEROS-FALLBACK", rule.where,
                                fmt::format("rule '{}' authenticates with Kerberos only, which charon cannot do "
                                            "(spec §9.6); using the --kerberos-fallback pre-shared key: configure "
                                            "the same key on the Windows peer",
                                            rule.name));
            return ChosenAuth{"psk", nullptr, *options.kerberos_fallback};
        }
        diagnostics.error("E-IKE-KERBEROS-ONLY", rule.where,
                          fmt::format("rule '{}' authenticates with Kerberos only; strongSwan has no IKEv1 Kerberos "
                                      "(GSS-API) authentication (spec §9.6). Add a pre-shared key or certificate "
                                      "method to the rule, or pass --kerberos-fallback psk:KEY",
                                      rule.name));
        return std::nullopt;
    }
    if (chosen->kind == AuthKind::PresharedKey) return ChosenAuth{"psk", chosen, chosen->preshared_key};
    if (options.ca_files.empty()) {
        diagnostics.error("E-IKE-CERT-NO-CA", chosen->where,
                          fmt::format("rule '{}' authenticates with certificates from root CA \"{}\"; the policy "
                                      "holds only the CA's name: give its certificate file with --ca FILE",
                                      rule.name, chosen->certificate_ca));
        return std::nullopt;
    }
    return ChosenAuth{"pubkey", chosen, std::nullopt};
}

std::vector<std::string> main_mode_proposals(const Policy& policy, Diagnostics& diagnostics) {
    std::vector<std::string> out;
    for (const auto& offer : policy.main_mode.offers) {
        if (auto p = ike_proposal(offer)) {
            if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
        } else {
            diagnostics.warning(
                "W-IKE-MM-OFFER", policy.where,
                fmt::format("policy '{}': main mode offer {} left out: {}", policy.name, to_string(offer), p.error()));
        }
    }
    if (out.empty())
        diagnostics.error(
            "E-IKE-NO-MM-PROPOSAL", policy.where,
            fmt::format("policy '{}': none of its main mode offers can be negotiated by charon", policy.name));
    if (policy.main_mode.master_pfs)
        diagnostics.warning("W-IKE-MASTER-PFS", policy.where,
                            fmt::format("policy '{}': master key PFS (a new main mode for every quick mode) has no "
                                        "equivalent in charon's IKEv1 (spec §9.7)",
                                        policy.name));
    return out;
}

struct ChildCrypto {
    std::vector<std::string> esp;
    std::vector<std::string> ah;
    std::uint32_t life_time = 3600;
    std::uint64_t life_bytes = 0;
};

ChildCrypto quick_mode_crypto(const Policy& policy, const FilterAction& action, Diagnostics& diagnostics) {
    ChildCrypto c;
    std::optional<DhGroup> pfs;
    if (action.quick_mode_pfs)
        pfs = policy.main_mode.offers.empty() ? DhGroup::Modp1024 : policy.main_mode.offers.front().group;
    bool lifetime_taken = false;
    for (const auto& offer : action.offers) {
        auto p = child_proposal(offer, pfs);
        if (!p) {
            diagnostics.warning("W-IKE-QM-OFFER", action.where,
                                fmt::format("filter action '{}': quick mode offer {} left out: {}", action.name,
                                            to_string(offer), p.error()));
            continue;
        }
        auto& list = p->ah ? c.ah : c.esp;
        if (std::find(list.begin(), list.end(), p->keywords) == list.end()) list.push_back(p->keywords);
        // A charon child has one lifetime; Windows' offers each carry one.
        const std::uint32_t seconds = offer.lifetime_seconds ? offer.lifetime_seconds : 3600;
        const std::uint64_t bytes = std::uint64_t{offer.lifetime_kbytes} * 1024;
        if (!lifetime_taken) {
            c.life_time = seconds;
            c.life_bytes = bytes;
            lifetime_taken = true;
        } else if (seconds != c.life_time || bytes != c.life_bytes) {
            diagnostics.note(
                "N-IKE-QM-LIFETIMES", action.where,
                fmt::format("filter action '{}': offers carry different lifetimes; charon uses the first "
                            "offer's ({} s{})",
                            action.name, c.life_time, c.life_bytes ? fmt::format(", {} KB", c.life_bytes / 1024) : ""));
        }
    }
    if (c.esp.empty() && c.ah.empty())
        diagnostics.error(
            "E-IKE-NO-QM-PROPOSAL", action.where,
            fmt::format("filter action '{}': none of its quick mode offers can be negotiated by charon", action.name));
    if (action.fallback_to_clear)
        diagnostics.note("N-IKE-SOFT", action.where,
                         fmt::format("filter action '{}': fall back to clear (soft) is done by the kernel policy "
                                     "(level use), not by charon; there is no 3 s hold (spec §9.7)",
                                     action.name));
    return c;
}

int filter_number(const PlanRule& r) {
    if (!r.filter_list || !r.filter) return 0;
    const auto& filters = r.filter_list->filters;
    for (std::size_t i = 0; i < filters.size(); ++i)
        if (&filters[i] == r.filter) return static_cast<int>(i) + 1;
    return 0;
}

using ConnectionKey = std::tuple<const Rule*, std::vector<std::string>, std::vector<std::string>>;
using PeerKey = std::pair<const Rule*, std::vector<std::string>>;  // Windows rule, remote_addrs

// Transport rules whose `me` end stands for several of this host's addresses
// towards one peer. winipsec's XFRM templates carry one reqid per Windows
// rule, and charon 5.9.8 answers an ACQUIRE with the first trap of that reqid
// it finds: with one connection per local address, main mode started from
// whichever address was loaded first, which the peer does not know (tests/lab
// scenario multi_homed_gw_one_connection). Such a rule becomes one connection
// with local_addrs %any: charon starts from the address the kernel routes to
// the peer, and answers on any of them.
std::set<PeerKey> rules_on_several_local_addresses(const plan::Plan& plan) {
    std::map<PeerKey, std::set<std::string>> local;
    for (const PlanRule& r : plan.rules) {
        if (r.verdict.action != ActionKind::Negotiate || !r.rule || r.tunnel_endpoint) continue;
        const Ends e = ends_of(r);
        if (is_me(plan, e.local)) local[{r.rule, addrs_of(e.remote)}].insert(e.local.address.to_string());
    }
    std::set<PeerKey> several;
    for (const auto& [key, addresses] : local)
        if (addresses.size() > 1) several.insert(key);
    return several;
}

}  // namespace

IkeConfig build_ike_config(const plan::Plan& plan, const IkeBuildOptions& options, Diagnostics& diagnostics) {
    IkeConfig config;
    const plan::TunnelPairing tunnels(plan);
    std::map<const Rule*, std::optional<ChosenAuth>> auth_by_rule;
    std::map<ConnectionKey, std::size_t> connection_index;
    std::map<std::string, int> names_used;
    std::map<const FilterAction*, ChildCrypto> crypto_by_action;
    // With charon installing the policies (libipsec) each address keeps its
    // connection: its traps are per-address policies, not one shared reqid.
    const std::set<PeerKey> one_connection_for_all_of_me =
        options.policy_owner == PolicyOwner::Winipsec ? rules_on_several_local_addresses(plan) : std::set<PeerKey>{};

    for (const PlanRule& r : plan.rules) {
        if (r.verdict.action != ActionKind::Negotiate || !r.rule || !r.policy || !r.action) continue;
        if (!tunnels.applies(r)) continue;
        // Both rules of a tunnel become one connection: the outbound rule's.
        const Rule* owner_rule = r.rule;
        if (r.tunnel_endpoint && r.direction == Direction::Inbound)
            if (const Rule* outbound = tunnels.partner_of(r.rule)) owner_rule = outbound;

        auto [auth_it, fresh] = auth_by_rule.try_emplace(owner_rule);
        if (fresh) auth_it->second = choose_auth(*owner_rule, options, diagnostics);
        if (!auth_it->second) continue;
        const ChosenAuth& auth = *auth_it->second;

        const Ends e = ends_of(r);
        std::vector<std::string> local_addrs, remote_addrs;
        IkeChild child;
        if (r.tunnel_endpoint) {
            const plan::TunnelEnds te = tunnels.ends(r);
            if (te.local) local_addrs = {te.local->to_string()};
            if (te.remote) remote_addrs = {te.remote->to_string()};
            child.mode = "tunnel";
            child.local_ts = {cidr(e.local) + ts_suffix(r.selector.protocol, e.local_port)};
            child.remote_ts = {cidr(e.remote) + ts_suffix(r.selector.protocol, e.remote_port)};
        } else {
            if (!contains_me(plan, e.local)) {
                diagnostics.note("N-IKE-NOT-LOCAL", r.filter ? r.filter->where : r.rule->where,
                                 fmt::format("{}: transport-mode negotiate filter {} has no local address of this "
                                             "host on either end; no IKE child for it",
                                             r.origin(), r.selector.to_string()));
                continue;
            }
            remote_addrs = addrs_of(e.remote);
            if (is_me(plan, e.local) && !one_connection_for_all_of_me.contains({r.rule, remote_addrs}))
                local_addrs = {e.local.address.to_string()};
            child.mode = "transport";
            child.local_ts = {(is_me(plan, e.local) ? std::string("dynamic") : cidr(e.local)) +
                              ts_suffix(r.selector.protocol, e.local_port)};
            const bool remote_host = e.remote.length == e.remote.address.bit_width();
            child.remote_ts = {(remote_host ? std::string("dynamic") : cidr(e.remote)) +
                               ts_suffix(r.selector.protocol, e.remote_port)};
        }

        const ConnectionKey key{owner_rule, local_addrs, remote_addrs};
        auto [conn_it, new_conn] = connection_index.try_emplace(key, config.connections.size());
        if (new_conn) {
            IkeConnection c;
            std::string base =
                std::string(ike_name_prefix) + section_name(r.policy->name) + "-" + section_name(owner_rule->name);
            const int n = ++names_used[base];
            c.name = n == 1 ? base : fmt::format("{}-{}", base, n);
            c.local_addrs = local_addrs;
            c.remote_addrs = remote_addrs;
            c.proposals = main_mode_proposals(*r.policy, diagnostics);
            c.ike_lifetime = r.policy->main_mode.lifetime_seconds ? r.policy->main_mode.lifetime_seconds : 28800;
            c.local.method = c.remote.method = auth.method;
            if (auth.method == "psk") {
                // Windows identifies PSK peers by IP address (spec §8.10).
                c.local.id = local_addrs.size() == 1 && local_addrs[0].find('/') == std::string::npos ? local_addrs[0]
                                                                                                      : std::string();
                c.remote.id = remote_addrs.size() == 1 && remote_addrs[0].find('/') == std::string::npos
                                  ? remote_addrs[0]
                                  : std::string("%any");
                IkeSharedKey k;
                k.id = c.name;
                k.secret = *auth.psk;
                if (!c.local.id.empty()) k.owners.push_back(c.local.id);
                if (c.remote.id != "%any") k.owners.push_back(c.remote.id);
                k.where = auth.windows ? auth.windows->where : owner_rule->where;
                config.shared_keys.push_back(std::move(k));
            } else {
                c.remote.cacerts = options.ca_files;
            }
            c.where = owner_rule->where;
            config.connections.push_back(std::move(c));
        }
        IkeConnection& conn = config.connections[conn_it->second];

        const bool duplicate = std::any_of(conn.children.begin(), conn.children.end(), [&](const IkeChild& c) {
            return c.local_ts == child.local_ts && c.remote_ts == child.remote_ts && c.mode == child.mode;
        });
        if (duplicate) {
            // The other direction of a mirrored filter, or the other rule of a
            // tunnel pair: one SA pair serves both. A tunnel child is traced to
            // the outbound rule's filter, the one that names the peer gateway.
            if (r.tunnel_endpoint && r.direction == Direction::Outbound)
                for (auto& c : conn.children)
                    if (c.local_ts == child.local_ts && c.remote_ts == child.remote_ts)
                        c.where = r.filter ? r.filter->where : r.rule->where;
            continue;
        }

        auto crypto_it = crypto_by_action.find(r.action);
        if (crypto_it == crypto_by_action.end())
            crypto_it = crypto_by_action.emplace(r.action, quick_mode_crypto(*r.policy, *r.action, diagnostics)).first;
        const ChildCrypto& crypto = crypto_it->second;
        if (crypto.esp.empty() && crypto.ah.empty()) continue;  // reported by quick_mode_crypto
        child.esp_proposals = crypto.esp;
        child.ah_proposals = crypto.ah;
        child.life_time = crypto.life_time;
        child.rekey_time = crypto.life_time - crypto.life_time / 10;
        child.life_bytes = crypto.life_bytes;
        if (options.policy_owner == PolicyOwner::Winipsec) {
            child.policies = false;
            child.reqid = options.reqid_of ? options.reqid_of(owner_rule) : 0;
        } else {
            child.policies = true;
            child.priority = options.priority_of ? options.priority_of(r) : 0;
        }
        const int number = filter_number(r);
        child.name = fmt::format("{}-f{}", conn.name, number ? number : static_cast<int>(conn.children.size()) + 1);
        for (int n = 2; std::any_of(conn.children.begin(), conn.children.end(),
                                    [&](const IkeChild& c) { return c.name == child.name; });
             ++n)
            child.name = fmt::format("{}-f{}-{}", conn.name, number, n);
        child.where = r.filter ? r.filter->where : r.rule->where;
        conn.children.push_back(std::move(child));
    }
    return config;
}

}  // namespace winipsec::ike
