#include "cli/plan_options.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plan/local_addresses.hpp"

namespace winipsec::cli {

void PlanCliOptions::add_to(CLI::App& verb) {
    verb.add_option("--me", me,
                    "an address Windows' `me` stands for (repeat for several); default: this host's IPv4 "
                    "unicast addresses")
        ->type_name("ADDR");
    verb.add_option("--server", servers,
                    "the addresses of the host's DNS, WINS, DHCP or gateway servers for filters that name them "
                    "(repeatable); default: resolv.conf, DHCP leases, default routes (WINS has no default)")
        ->type_name("KIND=ADDR");
    verb.add_option("--nodefaultexempt", no_default_exempt,
                    "NoDefaultExempt 0-3: what is exempt from filtering (0 broadcast/multicast, RSVP, Kerberos; "
                    "1 broadcast/multicast; 2 RSVP, Kerberos; 3 only IKE); default: the input's, else the "
                    "--windows-version default")
        ->check(CLI::Range(0, 3))
        ->type_name("N");
    verb.add_option("--windows-version", windows_version,
                    "the Windows release whose defaults apply (2000|xp|xpsp2|2003|vista+)")
        ->check(CLI::IsMember({"2000", "xp", "xpsp2", "2003", "vista+"}))
        ->default_val("2003");
    verb.add_option("--tie-break", tie_break,
                    "order of partially overlapping filters whose Windows weight is unknown: address (longer "
                    "masks first) or protocol (protocol and ports first)")
        ->check(CLI::IsMember({"address", "protocol"}))
        ->default_val("address");
    verb.add_option("--fragments", fragments,
                    "non-first fragments have no ports: reassemble them (nft defrag), block those a port-specific "
                    "block could match, or ignore")
        ->check(CLI::IsMember({"reassemble", "block", "ignore"}))
        ->default_val("reassemble");
    verb.add_option("--policy", policy, "use this static policy instead of the assigned one")->type_name("NAME");
    verb.add_flag("--include-dynamic", include_dynamic, "also translate dynamic (volatile) policy");
    verb.add_flag("--no-host-lookups", no_host_lookups,
                  "do not read resolv.conf, routes, leases or DNS for server keywords and host names");
    verb.add_option("--as-peer-of", as_peer_of,
                    "counterpart mode: the input was exported on the Windows host with this address; build "
                    "this host's side of it (Windows' `me` = ADDR, --me = this host)")
        ->type_name("ADDR");
}

namespace {

std::optional<ServerKind> server_kind(std::string_view k) {
    if (k == "dns") return ServerKind::Dns;
    if (k == "wins") return ServerKind::Wins;
    if (k == "dhcp") return ServerKind::Dhcp;
    if (k == "gateway") return ServerKind::Gateway;
    return std::nullopt;
}

}  // namespace

std::expected<plan::PlanOptions, Error> PlanCliOptions::to_options() const {
    plan::PlanOptions o;
    if (me.empty()) {
        auto local = plan::local_unicast_addresses();
        if (!local) return std::unexpected(local.error());
        o.me = *local;
    } else {
        for (const auto& text : me) {
            auto a = IpAddress::parse(text);
            if (!a) return std::unexpected(Error::usage(fmt::format("--me '{}': not an IPv4 or IPv6 address", text)));
            o.me.push_back(*a);
        }
    }
    for (const auto& s : servers) {
        const auto eq = s.find('=');
        const auto kind = eq == std::string::npos ? std::nullopt : server_kind(s.substr(0, eq));
        const auto addr = eq == std::string::npos ? std::nullopt : IpAddress::parse(s.substr(eq + 1));
        if (!kind || !addr)
            return std::unexpected(
                Error::usage(fmt::format("--server '{}': expected KIND=ADDR with KIND dns|wins|dhcp|gateway", s)));
        o.servers[*kind].push_back(*addr);
    }
    if (no_default_exempt >= 0) o.no_default_exempt = no_default_exempt;
    o.windows_version = *plan::parse_windows_version(windows_version);
    o.tie_break = tie_break == "protocol" ? plan::TieBreak::Protocol : plan::TieBreak::Address;
    o.fragments = fragments == "block"    ? plan::FragmentRule::BlockNonFirst
                  : fragments == "ignore" ? plan::FragmentRule::Ignore
                                          : plan::FragmentRule::Reassemble;
    o.policy_name = policy;
    o.include_dynamic = include_dynamic;
    o.resolve_from_host = !no_host_lookups;
    if (!as_peer_of.empty()) {
        o.counterpart_of = IpAddress::parse(as_peer_of);
        if (!o.counterpart_of)
            return std::unexpected(
                Error::usage(fmt::format("--as-peer-of '{}': not an IPv4 or IPv6 address", as_peer_of)));
        if (std::find(o.me.begin(), o.me.end(), *o.counterpart_of) != o.me.end())
            return std::unexpected(Error::usage(
                fmt::format("--as-peer-of {}: that is this host's own address; give the Windows host's", as_peer_of)));
    }
    return o;
}

}  // namespace winipsec::cli
