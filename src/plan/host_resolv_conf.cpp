// The DNS servers Windows' `dns` server keyword stands for (spec §8.3, E13):
// on Linux, the `nameserver` lines of resolv.conf. With systemd-resolved the
// file names the stub (127.0.0.53); that is what the host's own queries go
// to, so it is what a Permit-DNS filter must cover on this host.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "plan/host_facts.hpp"

namespace winipsec::plan {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view next_word(std::string_view& rest) {
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    std::size_t end = 0;
    while (end < rest.size() && !is_blank(rest[end])) ++end;
    const std::string_view word = rest.substr(0, end);
    rest.remove_prefix(end);
    return word;
}

}  // namespace

std::vector<IpAddress> parse_resolv_conf(std::string_view text) {
    std::vector<IpAddress> servers;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

        // resolver(5): `#` or `;` in the first column starts a comment; glibc
        // also skips leading blanks before the keyword.
        std::string_view rest = line;
        const std::string_view keyword = next_word(rest);
        if (keyword != "nameserver") continue;  // also drops "#nameserver ..." and ";..."
        std::string_view value = next_word(rest);
        // A link-local IPv6 server carries its interface (fe80::1%eth0);
        // selectors have no scope, so the address alone is what we can match.
        if (const std::size_t percent = value.find('%'); percent != std::string_view::npos)
            value = value.substr(0, percent);
        const auto address = IpAddress::parse(value);
        if (!address) continue;  // glibc ignores unparsable entries too
        if (std::find(servers.begin(), servers.end(), *address) == servers.end()) servers.push_back(*address);
    }
    // Order is kept: it is the resolver's preference order, and reports that
    // list the servers should read like the file.
    return servers;
}

std::vector<IpAddress> dns_servers_from_resolv_conf(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    // No resolv.conf: name no server rather than guess glibc's 127.0.0.1
    // fallback; the caller reports the keyword as matching nothing.
    if (!file) return {};
    std::ostringstream text;
    text << file.rdbuf();
    return parse_resolv_conf(text.str());
}

}  // namespace winipsec::plan
