// "Require ESP" over an IPv6 subnet must not cut neighbour discovery: the
// neighbour advertisement answering our solicitation is ICMPv6 from the
// subnet to us and meets the `in` policy (icmpv6_rcv). winipsec installs
// clear-text bypasses for ICMPv6 133-137 where a negotiate rule covers ICMPv6;
// here a permitted UDP port inside the subnet shows resolution still works,
// and that it would not without them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;

namespace {

sockaddr_in6 v6(const char* address, std::uint16_t port) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    inet_pton(AF_INET6, address, &a.sin6_addr);
    return a;
}

// Two namespaces: A (2001:db8:1::1) --veth-- B (2001:db8:1::2), no DAD delay.
struct Link6 {
    Netns a, b;
    Link6() {
        REQUIRE(a.ip("link add xa type veth peer name xb netns " + b.name()).status == 0);
        REQUIRE(a.ip("addr add 2001:db8:1::1/64 dev xa nodad").status == 0);
        REQUIRE(b.ip("addr add 2001:db8:1::2/64 dev xb nodad").status == 0);
        REQUIRE(a.ip("link set xa up").status == 0);
        REQUIRE(b.ip("link set xb up").status == 0);
    }
};

// A sends one datagram to B's UDP port 7 (retrying while the neighbour is
// unresolved: the first packet waits in the neighbour queue); true when B
// receives it within two seconds.
bool udp7_arrives(const Link6& link) {
    return link.b.run([&] {
        Socket r(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const auto here = v6("2001:db8:1::2", 7);
        if (bind(r.fd(), reinterpret_cast<const sockaddr*>(&here), sizeof here) != 0) return false;
        const int sent = link.a.run([] {
            Socket s(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            const auto to = v6("2001:db8:1::2", 7);
            const char payload[] = "winipsec";
            return sendto(s.fd(), payload, sizeof payload, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0
                       ? errno
                       : 0;
        });
        if (sent != 0) return false;
        pollfd p{r.fd(), POLLIN, 0};
        return poll(&p, 1, 2000) == 1;
    });
}

std::vector<kernel::XfrmPolicy> policies_for_a() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .filter("Lan", {.src = "me", .dst = "2001:db8:1::/64"})
        .filter("Echo", {.src = "me", .dst = "2001:db8:1::2", .protocol = 17, .dport = 7})
        .rule("lan", "Lan", "ReqESP")
        .rule("echo", "Echo", "Permit");
    return kernel::build_xfrm_policies(build(b, options_with_me({"2001:db8:1::1"})));
}

}  // namespace

TEST_CASE("IPv6 neighbour discovery keeps working under a require-ESP policy for the subnet") {
    XFRM_NETNS_REQUIRE_ROOT();
    const auto policies = policies_for_a();
    REQUIRE(find_policy(policies, kernel::XfrmDir::In, "src ::/0 dst ::/0 proto 58 type 136"));

    const Link6 link;
    const auto applied = link.a.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    CHECK(udp7_arrives(link));
}

TEST_CASE("without the neighbour discovery bypass the permitted port is unreachable (the bypass is what helps)") {
    XFRM_NETNS_REQUIRE_ROOT();
    auto policies = policies_for_a();
    std::erase_if(policies, [](const kernel::XfrmPolicy& p) { return p.selector.protocol == 58; });

    const Link6 link;
    const auto applied = link.a.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    CHECK_FALSE(udp7_arrives(link));
}
