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

std::string render_netdiag_listing(const plan::Plan& plan) {
    std::string out;
    out += "IP Security test . . . . . . . . . : Passed\n";
    if (!plan.policy) {
        out += "    IPSec policy service is active, but no policy is assigned.\n";
        return out;
    }
    const Policy& policy = *plan.policy;
    out += fmt::format("{} IPSec Policy Active: '{}'\n",
                       policy.location == StoreLocation::Domain ? "Directory" : "Local", policy.name);
    out += fmt::format("IP Security Policy Path: {}\n\n", policy.where.to_string());
    out += fmt::format("There are {} filters\n", plan.rules.size());
    for (const auto& f : plan.rules) {
        const std::string seed =
            fmt::format("{}|{}|{}|{}|{}", f.filter->where.to_string(), f.rule->name, f.is_mirror ? "m" : "o",
                        plan::to_string(f.direction), f.selector.to_string());
        const auto& src = f.selector.source;
        const auto& dst = f.selector.destination;
        out += fmt::format("{}\n", f.filter->description.empty() ? "No Name" : f.filter->description);
        out += fmt::format("Filter Id: {}\n", stable_guid({}, seed));
        out += fmt::format("Policy Id: {}\n", stable_guid(f.action->guid, fmt::format("action|{}|{}", f.action->name,
                                                                                      f.action->where.to_string())));
        out += fmt::format("Src Addr : {} Src Mask : {}\n", src.address.to_string(),
                           IpAddress::mask_of(src.family(), src.length).to_string());
        out += fmt::format("Dest Addr : {} Dest Mask : {}\n", dst.address.to_string(),
                           IpAddress::mask_of(dst.family(), dst.length).to_string());
        out += fmt::format("Tunnel Addr : {} Src Port : {} Dest Port : {}\n",
                           f.tunnel_endpoint ? f.tunnel_endpoint->to_string() : std::string("0.0.0.0"),
                           f.selector.source_port, f.selector.destination_port);
        out += fmt::format("Protocol : {} TunnelFilter: {}\n", f.selector.protocol, f.tunnel_endpoint ? "Yes" : "No");
        out += fmt::format("Flags : {} {}\n", f.direction == plan::Direction::Inbound ? "Inbound" : "Outbound",
                           flag_action(*f.action));
        // Not in netdiag: where this filter came from in the Windows input.
        out += fmt::format("Source : {} rule '{}' filter list '{}' filter action '{}'{}\n", f.filter->where.to_string(),
                           f.rule->name, f.filter_list->name, f.action->name, f.is_mirror ? " (mirror)" : "");
    }
    return out;
}

}  // namespace winipsec::cli
