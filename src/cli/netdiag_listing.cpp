#include "cli/netdiag_listing.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace winipsec::cli {
namespace {

// netdiag prints GUIDs; text imports have none, so derive stable ones from
// where the object came from (FNV-1a, two seeds): the same input gives the
// same listing, which keeps diffs between runs meaningful.
std::uint64_t fnv1a(std::string_view s, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string stable_guid(const std::string& existing, std::string_view seed) {
    if (!existing.empty()) return existing;
    const std::uint64_t a = fnv1a(seed, 14695981039346656037ULL);
    const std::uint64_t b = fnv1a(seed, 0x9E3779B97F4A7C15ULL);
    return fmt::format("{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}", static_cast<std::uint32_t>(a >> 32),
                       static_cast<std::uint16_t>(a >> 16), static_cast<std::uint16_t>(a),
                       static_cast<std::uint16_t>(b >> 48), b & 0xFFFFFFFFFFFFULL);
}

struct AddrMask {
    std::string addr;
    std::string mask;
};

// netdiag shows addresses and masks as dotted quads; `any` is 0.0.0.0/0.0.0.0.
// Keywords winipsec has not resolved yet (me without local addresses, DNS
// names, server keywords) are shown by name so nothing is hidden.
AddrMask addr_mask(const FilterAddress& a) {
    switch (a.kind) {
        case AddressKind::Any: return {"0.0.0.0", "0.0.0.0"};
        case AddressKind::Me: return {"<me>", "255.255.255.255"};
        case AddressKind::Specific:
            return {a.address.to_string(), IpAddress::mask_of(a.address.family, a.prefix_length).to_string()};
        case AddressKind::Range: return {a.to_string(), "-"};
        case AddressKind::DnsName:
            return {fmt::format("<{}>", a.dns_name), IpAddress::mask_of(IpFamily::V4, a.prefix_length).to_string()};
        case AddressKind::Server: return {fmt::format("<{} servers>", to_string(a.server)), "255.255.255.255"};
    }
    return {"?", "?"};
}

std::string flag_action(const FilterAction& action) {
    switch (action.action) {
        case ActionKind::Block: return "Block";
        case ActionKind::Permit: return "Permit";
        case ActionKind::Negotiate: {
            std::string s = "Negotiate";
            if (action.inbound_passthrough) s += " InboundPassthru";
            if (action.fallback_to_clear) s += " AllowUnsecured";
            return s;
        }
    }
    return "?";
}

}  // namespace

std::string render_no_policy_listing() {
    return "IP Security test . . . . . . . . . : Passed\n"
           "    IPSec policy service is active, but no policy is assigned.\n";
}

std::string render_netdiag_listing(const Policy& policy, const std::vector<plan::DirectionalFilter>& filters) {
    std::string out;
    out += "IP Security test . . . . . . . . . : Passed\n";
    out += fmt::format("{} IPSec Policy Active: '{}'\n", policy.location == StoreLocation::Domain ? "Directory" : "Local",
                       policy.name);
    out += fmt::format("IP Security Policy Path: {}\n\n", policy.where.to_string());
    out += fmt::format("There are {} filters\n", filters.size());
    for (const auto& f : filters) {
        const std::string seed =
            fmt::format("{}|{}|{}|{}", f.filter->where.to_string(), f.rule->name, f.is_mirror ? "m" : "o",
                        plan::to_string(f.direction));
        const auto src = addr_mask(f.source);
        const auto dst = addr_mask(f.destination);
        const std::string tunnel =
            f.rule->tunnel_endpoint ? addr_mask(*f.rule->tunnel_endpoint).addr : std::string("0.0.0.0");
        out += fmt::format("{}\n", f.filter->description.empty() ? "No Name" : f.filter->description);
        out += fmt::format("Filter Id: {}\n", stable_guid({}, seed));
        out += fmt::format("Policy Id: {}\n",
                           stable_guid(f.action->guid, fmt::format("action|{}|{}", f.action->name,
                                                                   f.action->where.to_string())));
        out += fmt::format("Src Addr : {} Src Mask : {}\n", src.addr, src.mask);
        out += fmt::format("Dest Addr : {} Dest Mask : {}\n", dst.addr, dst.mask);
        out += fmt::format("Tunnel Addr : {} Src Port : {} Dest Port : {}\n", tunnel, f.source_port,
                           f.destination_port);
        out += fmt::format("Protocol : {} TunnelFilter: {}\n", f.protocol, f.rule->tunnel_endpoint ? "Yes" : "No");
        out += fmt::format("Flags : {} {}\n", plan::to_string(f.direction), flag_action(*f.action));
        // Not in netdiag: where this filter came from in the Windows input.
        out += fmt::format("Source : {} rule '{}' filter list '{}' filter action '{}'{}\n", f.filter->where.to_string(),
                           f.rule->name, f.filter_list->name, f.action->name, f.is_mirror ? " (mirror)" : "");
    }
    return out;
}

}  // namespace winipsec::cli
