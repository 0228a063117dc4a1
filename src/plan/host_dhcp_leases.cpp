// The DHCP servers Windows' `dhcp` server keyword stands for (spec §8.3,
// E13). Linux has no single owner of that fact, so we read what the usual
// DHCP clients leave on disk: ISC dhclient lease databases (also used by
// NetworkManager's dhclient back end) and the key=value lease files of
// systemd-networkd and NetworkManager's internal client.
#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <system_error>

#include "plan/host_facts.hpp"

namespace winipsec::plan {
namespace {

// Lease files are a few KiB; the cap keeps a stray large file in a scanned
// directory (NetworkManager keeps other state there) from being read at all.
constexpr std::size_t max_lease_file_size = 1 << 20;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// dhclient.leases(5): statements end in `;`, blocks are `header { ... }`,
// `#` comments run to the end of the line, strings are double-quoted. A file
// appends one `lease { }` block per (re)acquisition, so the last block is the
// lease in force; its server is the only current one.
std::optional<IpAddress> isc_current_server(std::string_view text) {
    std::optional<IpAddress> current;   // server of the last complete lease block
    std::optional<IpAddress> in_block;  // server of the lease block being read
    bool in_lease = false;
    int depth = 0;
    std::string statement;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\' && i + 1 < text.size())
                ++i;
            else if (c == '"')
                in_string = false;
            continue;  // string contents never matter here
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else if (c == '{') {
            // Only the bare `lease {` of a client database; `lease ADDR {` is
            // dhcpd's record of a lease it handed out, and `lease6 {` names a
            // DUID, not an address.
            if (depth == 0) {
                in_lease = trim(statement) == "lease";
                in_block.reset();
            }
            ++depth;
            statement.clear();
        } else if (c == '}') {
            if (depth > 0 && --depth == 0 && in_lease) {
                current = in_block;
                in_lease = false;
            }
            statement.clear();
        } else if (c == ';') {
            std::string_view words = trim(statement);
            constexpr std::string_view key = "option dhcp-server-identifier";
            if (in_lease && depth == 1 && words.starts_with(key) && words.size() > key.size() &&
                is_space(words[key.size()])) {
                if (auto address = IpAddress::parse(trim(words.substr(key.size())))) in_block = *address;
            }
            statement.clear();
        } else {
            // Runs of blanks and newlines become one space, so that the
            // statement compares word by word.
            if (!is_space(c))
                statement += c;
            else if (!statement.empty() && statement.back() != ' ')
                statement += ' ';
        }
    }
    return current;
}

// systemd-networkd (/run/systemd/netif/leases/IFINDEX) and NetworkManager's
// internal client (internal-*.lease) write `SERVER_ADDRESS=a.b.c.d`.
std::optional<IpAddress> key_value_server(std::string_view text) {
    std::optional<IpAddress> server;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        const std::string_view line = trim(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        constexpr std::string_view key = "SERVER_ADDRESS=";
        if (!line.starts_with(key)) continue;
        std::string_view value = trim(line.substr(key.size()));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        if (auto address = IpAddress::parse(value)) server = *address;
    }
    return server;
}

void add_unique(std::vector<IpAddress>& out, const std::optional<IpAddress>& address) {
    if (address && std::find(out.begin(), out.end(), *address) == out.end()) out.push_back(*address);
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return std::nullopt;
    return std::move(text).str();
}

}  // namespace

std::vector<IpAddress> parse_dhcp_lease(std::string_view text) {
    // One file holds one syntax; trying both needs no guess about which.
    std::vector<IpAddress> servers;
    add_unique(servers, isc_current_server(text));
    add_unique(servers, key_value_server(text));
    std::sort(servers.begin(), servers.end());
    return servers;
}

std::vector<IpAddress> dhcp_servers_from_leases(const std::vector<std::filesystem::path>& directories) {
    std::vector<IpAddress> servers;
    for (const auto& directory : directories) {
        std::error_code error;
        // Missing or unreadable directories mean "no lease there", not failure:
        // a host uses one DHCP client, and the others' directories are absent.
        for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
            std::error_code entry_error;
            if (!it->is_regular_file(entry_error)) continue;
            const auto size = it->file_size(entry_error);
            if (entry_error || size > max_lease_file_size) continue;
            const auto text = read_file(it->path());
            if (!text) continue;  // unreadable: skip, as with a missing directory
            for (const auto& server : parse_dhcp_lease(*text)) add_unique(servers, server);
        }
    }
    std::sort(servers.begin(), servers.end());
    return servers;
}

}  // namespace winipsec::plan
