// Tests of plan/host_*.cpp: what the special server keywords and DNS names
// stand for on this host (spec §8.3, E13). Only documentation address ranges
// appear; default routes are read in a private network namespace so that the
// host's own routing table never decides the outcome.
#include <doctest/doctest.h>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "plan/host_facts.hpp"

using winipsec::IpAddress;
using winipsec::IpFamily;
namespace plan = winipsec::plan;
namespace fs = std::filesystem;

namespace {

IpAddress ip(std::string_view text) {
    return IpAddress::parse(text).value();
}

std::string joined(const std::vector<IpAddress>& addresses) {
    std::string out;
    for (const auto& a : addresses) out += (out.empty() ? "" : " ") + a.to_string();
    return out;
}

// A fresh directory under the system temp dir, removed with its contents.
struct TempDirectory {
    fs::path path;
    TempDirectory() {
        std::random_device random;
        path = fs::temp_directory_path() / ("winipsec-host-facts-" + std::to_string(random()));
        fs::create_directories(path);
    }
    ~TempDirectory() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDirectory(const TempDirectory&) = delete;
    TempDirectory& operator=(const TempDirectory&) = delete;
    void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

// Runs `body` in a forked child inside a new network namespace and returns
// the line it wrote to the pipe: "SKIP ..." when no namespace could be made,
// otherwise whatever the body reports. A child never returns into doctest.
template <class Body>
std::string in_fresh_netns(Body body) {
    int pipe_ends[2];
    REQUIRE(pipe(pipe_ends) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(pipe_ends[0]);
        std::string report = unshare(CLONE_NEWNET) != 0 ? "SKIP unshare(CLONE_NEWNET) failed (not root?)" : body();
        const ssize_t written = write(pipe_ends[1], report.data(), report.size());
        _exit(written == static_cast<ssize_t>(report.size()) ? 0 : 1);
    }
    close(pipe_ends[1]);
    std::string report;
    char buffer[512];
    for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
        report.append(buffer, static_cast<std::size_t>(n));
    close(pipe_ends[0]);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    return report;
}

bool run(const char* command) {
    return std::system(command) == 0;
}

// An interface to hang routes on: dummy where the module exists, else a veth
// pair (containers often lack the dummy module).
bool make_link() {
    if (run("ip link add wi0 type dummy 2>/dev/null")) return run("ip link set wi0 up");
    return run("ip link add wi0 type veth peer name wi1") && run("ip link set wi1 up") && run("ip link set wi0 up");
}

std::string read_gateways() {
    const auto gateways = plan::default_gateways();
    if (!gateways) return "ERROR " + gateways.error();
    return "OK " + joined(*gateways);
}

}  // namespace

TEST_CASE("resolv.conf: nameserver lines in file order, scope ids and junk dropped") {
    const auto servers = plan::parse_resolv_conf(
        "# generated\n"
        "; nameserver 203.0.113.99\n"
        "search example.test\n"
        "  nameserver 192.0.2.53   # primary\n"
        "nameserver\t2001:db8::53\n"
        "nameserver fe80::1%eth0\n"
        "nameserver 192.0.2.53\n"
        "nameserver not-an-address\n"
        "nameserver\n"
        "nameservers 198.51.100.1\n"
        "options edns0\n"
        "nameserver 198.51.100.53");
    CHECK(joined(servers) == "192.0.2.53 2001:db8::53 fe80::1 198.51.100.53");
    CHECK(plan::parse_resolv_conf("").empty());
    CHECK(plan::parse_resolv_conf("nameserver 192.0.2.1\r\n") == std::vector{ip("192.0.2.1")});
}

TEST_CASE("resolv.conf: read from a file; a missing file names no server") {
    TempDirectory dir;
    dir.write("resolv.conf", "nameserver 203.0.113.53\n");
    CHECK(plan::dns_servers_from_resolv_conf(dir.path / "resolv.conf") == std::vector{ip("203.0.113.53")});
    CHECK(plan::dns_servers_from_resolv_conf(dir.path / "absent").empty());
}

TEST_CASE("dhclient leases: the last lease block is the current one") {
    const auto servers = plan::parse_dhcp_lease(R"(default-duid "\000\001#{";
lease {
  interface "eth0";
  fixed-address 192.0.2.50;
  option dhcp-server-identifier 192.0.2.1;
  renew 2 2024/01/02 03:04:05;
}
# renewed from another server
lease {
  interface "eth0";
  option domain-name "x;y{z}";
  option   dhcp-server-identifier
      198.51.100.1;
}
)");
    CHECK(servers == std::vector{ip("198.51.100.1")});
    // The last lease carries no server id: no current server.
    CHECK(plan::parse_dhcp_lease("lease { option dhcp-server-identifier 192.0.2.1; }\nlease { fixed-address "
                                 "192.0.2.9; }")
              .empty());
    // dhcpd's server-side database (`lease ADDR {`) and DHCPv6 leases are not ours.
    CHECK(plan::parse_dhcp_lease("lease 192.0.2.77 { option dhcp-server-identifier 192.0.2.1; }").empty());
    CHECK(plan::parse_dhcp_lease("lease6 { option dhcp6.server-id 0:1:0:1; }").empty());
    CHECK(plan::parse_dhcp_lease("lease { option dhcp-server-identifier-x 192.0.2.1; }").empty());
}

TEST_CASE("networkd / NetworkManager leases: SERVER_ADDRESS=") {
    CHECK(plan::parse_dhcp_lease("# This is private data. Do not parse.\nADDRESS=192.0.2.50\nNETMASK=255.255.255.0\n"
                                 "ROUTER=192.0.2.1\nSERVER_ADDRESS=192.0.2.2\nNEXT_SERVER=203.0.113.9\n") ==
          std::vector{ip("192.0.2.2")});
    CHECK(plan::parse_dhcp_lease("SERVER_ADDRESS=\"203.0.113.2\"\n") == std::vector{ip("203.0.113.2")});
    CHECK(plan::parse_dhcp_lease("SERVER_ADDRESS=bogus\nMY_SERVER_ADDRESS=192.0.2.3\n").empty());
}

TEST_CASE("lease directories: regular files of each directory, unique and sorted") {
    TempDirectory first;
    TempDirectory second;
    first.write("dhclient.eth0.leases", "lease {\n  option dhcp-server-identifier 203.0.113.1;\n}\n");
    first.write("dhclient.eth1.leases", "lease {\n  option dhcp-server-identifier 192.0.2.1;\n}\n");
    first.write("unrelated.state", "[main]\nNetworkingEnabled=true\n");
    fs::create_directory(first.path / "nested");
    first.write("nested/dhclient.leases", "lease { option dhcp-server-identifier 198.51.100.99; }\n");
    second.write("2", "SERVER_ADDRESS=192.0.2.1\n");
    second.write("3", "SERVER_ADDRESS=198.51.100.1\n");
    // An unreadable file is skipped (root reads anything, so use a dangling link).
    fs::create_symlink(second.path / "absent-target", second.path / "4");

    const auto servers = plan::dhcp_servers_from_leases({first.path, first.path / "missing", second.path});
    CHECK(joined(servers) == "192.0.2.1 198.51.100.1 203.0.113.1");
    CHECK(plan::dhcp_servers_from_leases({first.path / "missing"}).empty());
}

TEST_CASE("default gateways are read from the current network namespace (IPv4 and IPv6)") {
    const std::string report = in_fresh_netns([] {
        if (!run("ip link set lo up") || !make_link() || !run("ip addr add 192.0.2.10/24 dev wi0") ||
            !run("ip -6 addr add 2001:db8::10/64 dev wi0 nodad") || !run("ip route add default via 192.0.2.1") ||
            !run("ip -6 route add default via 2001:db8::1") ||
            // Not in the main table and not a default route: must not show.
            !run("ip route add 203.0.113.0/24 via 192.0.2.254") ||
            !run("ip route add default via 192.0.2.253 table 100"))
            return std::string("SKIP cannot configure the namespace with ip(8)");
        return read_gateways();
    });
    if (report.starts_with("SKIP")) {
        MESSAGE(report);
        return;
    }
    CHECK(report == "OK 192.0.2.1 2001:db8::1");
}

TEST_CASE("default gateways: multipath next hops, and none in an empty namespace") {
    const std::string report = in_fresh_netns([] {
        const std::string empty = read_gateways();
        if (!run("ip link set lo up") || !make_link() || !run("ip addr add 198.51.100.10/24 dev wi0") ||
            !run("ip route add default nexthop via 198.51.100.1 nexthop via 198.51.100.2"))
            return std::string("SKIP cannot configure the namespace with ip(8)");
        return empty + " | " + read_gateways();
    });
    if (report.starts_with("SKIP")) {
        MESSAGE(report);
        return;
    }
    CHECK(report == "OK  | OK 198.51.100.1 198.51.100.2");
}

TEST_CASE("DNS names resolve through the host resolver") {
    const auto local = plan::resolve_dns_name("localhost");
    REQUIRE_MESSAGE(local.has_value(), (local ? "" : local.error()));
    CHECK_FALSE(local->empty());
    for (const auto& a : *local) CHECK((a == ip("127.0.0.1") || a == ip("::1")));
    CHECK(std::is_sorted(local->begin(), local->end()));

    // RFC 6761: .invalid never exists.
    const auto invalid = plan::resolve_dns_name("no-such-host.invalid");
    REQUIRE_FALSE(invalid.has_value());
    CHECK(invalid.error().find("no-such-host.invalid") != std::string::npos);
    CHECK_FALSE(plan::resolve_dns_name("").has_value());
}
