#pragma once
// What the Linux host knows that Windows' special addresses stand for
// (spec §8.3, E13): its DNS servers, default gateways and DHCP servers, and
// what a DNS name resolves to now. Windows tracked these dynamically; we read
// them when the plan is built (and the daemon rebuilds on change).
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "model/ip_address.hpp"

namespace winipsec::plan {

// `nameserver` lines of resolv.conf (IPv4 and IPv6; scope ids dropped).
std::vector<IpAddress> dns_servers_from_resolv_conf(const std::filesystem::path& path = "/etc/resolv.conf");
// Parses resolv.conf text; exposed for tests.
std::vector<IpAddress> parse_resolv_conf(std::string_view text);

// Next hops of the default routes in the current network namespace (IPv4
// and IPv6), read over rtnetlink.
std::expected<std::vector<IpAddress>, std::string> default_gateways();

// `dhcp-server-identifier` of ISC dhclient leases and `SERVER_ADDRESS=` of
// systemd-networkd / NetworkManager lease files found under `directories`
// (missing directories are fine: no lease, no address).
std::vector<IpAddress> dhcp_servers_from_leases(const std::vector<std::filesystem::path>& directories = {
                                                    "/var/lib/dhcp", "/var/lib/dhclient", "/run/systemd/netif/leases",
                                                    "/var/lib/NetworkManager"});
// Parses one lease file's text (either syntax); exposed for tests.
std::vector<IpAddress> parse_dhcp_lease(std::string_view text);

// getaddrinfo of `name` (A and AAAA), sorted, unique; the error text says why.
std::expected<std::vector<IpAddress>, std::string> resolve_dns_name(const std::string& name);

}  // namespace winipsec::plan
