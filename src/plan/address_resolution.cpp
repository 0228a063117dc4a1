#include "plan/address_resolution.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/host_facts.hpp"

namespace winipsec::plan {
namespace {

std::string join(const std::vector<IpAddress>& addrs) {
    std::string s;
    for (const auto& a : addrs) s += fmt::format("{}{}", s.empty() ? "" : ", ", a.to_string());
    return s;
}

}  // namespace

const char* server_option_name(ServerKind kind) {
    switch (kind) {
        case ServerKind::Dns: return "dns";
        case ServerKind::Wins: return "wins";
        case ServerKind::Dhcp: return "dhcp";
        case ServerKind::Gateway: return "gateway";
    }
    return "?";
}

AddressResolver::AddressResolver(const PlanOptions& options, Diagnostics& diagnostics)
    : options_(options), diagnostics_(diagnostics) {}

std::optional<IpFamily> AddressResolver::family_of(const FilterAddress& a) {
    if (a.kind == AddressKind::Specific || a.kind == AddressKind::Range) return a.address.family;
    return std::nullopt;
}

std::vector<IpAddress> AddressResolver::servers(ServerKind kind, const SourceLocation& where) {
    if (auto it = options_.servers.find(kind); it != options_.servers.end()) return it->second;
    if (auto it = server_cache_.find(kind); it != server_cache_.end()) return it->second;
    std::vector<IpAddress> found;
    std::string source;
    if (options_.resolve_from_host) {
        switch (kind) {
            case ServerKind::Dns:
                found = dns_servers_from_resolv_conf();
                source = "/etc/resolv.conf";
                break;
            case ServerKind::Gateway: {
                auto gw = default_gateways();
                if (gw) found = *gw;
                source = "the default routes";
                break;
            }
            case ServerKind::Dhcp:
                found = dhcp_servers_from_leases();
                source = "the DHCP leases";
                break;
            case ServerKind::Wins: break;  // Linux has no WINS configuration to read
        }
    }
    if (found.empty()) {
        if (kind == ServerKind::Wins)
            diagnostics_.error("E-PLAN-WINS-SERVER", where,
                               "filters on WINS servers need their addresses: Linux has no WINS configuration; "
                               "give --server wins=ADDR");
        else
            diagnostics_.warning(
                "W-PLAN-NO-SERVER", where,
                fmt::format("no {} server found in {}; these filters match nothing (give "
                            "--server {}=ADDR)",
                            to_string(kind), source.empty() ? "the host" : source, server_option_name(kind)));
    } else {
        diagnostics_.note("N-PLAN-SERVER-RESOLVED", where,
                          fmt::format("{} servers are {} (from {}); Windows re-reads them on change, winipsec "
                                      "when the plan is rebuilt",
                                      to_string(kind), join(found), source));
    }
    server_cache_[kind] = found;
    lookups_[to_string(kind)] = found;
    return found;
}

std::vector<IpAddress> AddressResolver::dns_name(const std::string& name, const SourceLocation& where) {
    if (auto it = lookups_.find(name); it != lookups_.end()) return it->second;
    std::vector<IpAddress> found;
    if (options_.resolve_from_host) {
        auto r = resolve_dns_name(name);
        if (r) {
            found = *r;
            diagnostics_.warning("W-PLAN-DNS-NAME", where,
                                 fmt::format("'{}' resolved now to {}; Windows resolved it once when the filter was "
                                             "created, so the Windows host may use other addresses",
                                             name, join(found)));
        } else {
            diagnostics_.error("E-PLAN-DNS-NAME", where,
                               fmt::format("cannot resolve '{}': {}; replace it with an address", name, r.error()));
        }
    } else {
        diagnostics_.error(
            "E-PLAN-DNS-NAME", where,
            fmt::format("'{}' is a DNS name and host lookups are off; replace it with an address", name));
    }
    lookups_[name] = found;
    return found;
}

std::vector<Prefix> AddressResolver::resolve(const FilterAddress& a, const SourceLocation& where,
                                             IpFamily other_family) {
    std::vector<Prefix> out;
    resolve_into(a, where, other_family, out);
    return out;
}

void AddressResolver::resolve_into(const FilterAddress& a, const SourceLocation& where, IpFamily other_family,
                                   std::vector<Prefix>& out) {
    out.clear();
    switch (a.kind) {
        case AddressKind::Any: out.push_back(Prefix::any(other_family)); break;
        case AddressKind::Me:
            for (const auto& ip : options_.me)
                if (ip.family == other_family) out.push_back(Prefix::host(ip));
            if (options_.me.empty() && !warned_no_me_) {
                warned_no_me_ = true;
                diagnostics_.warning("W-PLAN-NO-ME", where,
                                     "`me` stands for no address: the host has no unicast address (give --me ADDR); "
                                     "filters on `me` match nothing");
            }
            break;
        case AddressKind::Specific: out.push_back(Prefix::of(a.address, a.prefix_length)); break;
        case AddressKind::Range: out = range_to_prefixes(a.address, a.range_last); break;
        case AddressKind::DnsName:
            for (const auto& ip : dns_name(a.dns_name, where))
                if (ip.family == IpFamily::V4) out.push_back(Prefix::of(ip, std::min(a.prefix_length, 32)));
            break;
        case AddressKind::Server:
            for (const auto& ip : servers(a.server, where))
                if (ip.family == other_family) out.push_back(Prefix::host(ip));
            break;
    }
    if (out.size() > 1) {
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

}  // namespace winipsec::plan
