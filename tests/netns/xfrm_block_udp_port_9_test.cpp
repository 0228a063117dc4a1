// Real packets: an XFRM `block` policy for outbound UDP to 192.0.2.2 port 9
// makes sendto() fail with EPERM at route lookup (xfrm_lookup, spec
// linux-targets.md §4.4 "Output: BLOCK => -EPERM"), before any nft hook,
// while port 10 still reaches the peer. Two namespaces joined by a veth pair.
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

sockaddr_in v4(const char* address, std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, address, &a.sin_addr);
    return a;
}

// 0 on success, else the errno of sendto().
int send_udp(const char* destination, std::uint16_t port) {
    Socket s(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (s.fd() < 0) return errno;
    const auto to = v4(destination, port);
    const char payload[] = "winipsec";
    if (sendto(s.fd(), payload, sizeof payload, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) return errno;
    return 0;
}

// Two namespaces: A (192.0.2.1) --veth-- B (192.0.2.2).
struct Link {
    Netns a, b;
    Link() {
        REQUIRE(a.ip("link add xa type veth peer name xb netns " + b.name()).status == 0);
        REQUIRE(a.ip("addr add 192.0.2.1/24 dev xa").status == 0);
        REQUIRE(b.ip("addr add 192.0.2.2/24 dev xb").status == 0);
        REQUIRE(a.ip("link set xa up").status == 0);
        REQUIRE(b.ip("link set xb up").status == 0);
    }
};

// Binds UDP `port` in B, lets `send` run in A, and reports whether the
// datagram arrived within a second.
template <typename Send>
bool arrives(const Link& link, std::uint16_t port, Send send) {
    return link.b.run([&] {
        Socket r(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const auto here = v4("192.0.2.2", port);
        if (bind(r.fd(), reinterpret_cast<const sockaddr*>(&here), sizeof here) != 0) return false;
        if (link.a.run(send) != 0) return false;
        pollfd p{r.fd(), POLLIN, 0};
        return poll(&p, 1, 1000) == 1;
    });
}

void check_port_9_blocked_port_10_open(const Link& link) {
    CHECK(link.a.run([] { return send_udp("192.0.2.2", 9); }) == EPERM);
    CHECK(arrives(link, 10, [] { return send_udp("192.0.2.2", 10); }));
    // Port 9 to another address is not covered.
    CHECK(link.a.run([] { return send_udp("192.0.2.3", 9); }) == 0);
}

}  // namespace

TEST_CASE("an XFRM block for outbound UDP to 192.0.2.2 port 9 makes sendto() fail with EPERM; port 10 arrives") {
    XFRM_NETNS_REQUIRE_ROOT();
    const Link link;
    // Sanity: before any policy, both ports work.
    REQUIRE(arrives(link, 9, [] { return send_udp("192.0.2.2", 9); }));

    kernel::XfrmPolicy block;
    block.selector = kernel::XfrmSelector::make(plan::Prefix::any(IpFamily::V4),
                                                plan::Prefix::host(*IpAddress::parse("192.0.2.2")), 17, 0, 9);
    block.dir = kernel::XfrmDir::Out;
    block.action = kernel::XfrmAction::Block;
    block.priority = kernel::xfrm_priority_rules;
    const auto applied = link.a.run([&] { return kernel::apply_xfrm_policies({block}); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    check_port_9_blocked_port_10_open(link);

    REQUIRE(link.a.run([] { return kernel::remove_xfrm_policies(); }));
    CHECK(arrives(link, 9, [] { return send_udp("192.0.2.2", 9); }));
}

TEST_CASE("from a plan: a UDP 9 block inside a soft negotiate subnet blocks; other traffic goes out in clear") {
    XFRM_NETNS_REQUIRE_ROOT();
    StoreBuilder b;
    b.action("Request", ActionKind::Negotiate, true, true)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "192.0.2.0/24"})
        .filter("Discard", {.src = "me", .dst = "192.0.2.2", .protocol = 17, .dport = 9})
        .rule("request", "Subnet", "Request")
        .rule("discard", "Discard", "Block");
    const auto plan = build(b, options_with_me({"192.0.2.1"}));
    const auto policies = kernel::build_xfrm_policies(plan);
    const Link link;
    const auto applied = link.a.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));
    // Port 10 matches the negotiate policy, whose template is optional
    // (soft): no SA and no IKE daemon, so the kernel sends it in clear.
    check_port_9_blocked_port_10_open(link);
}
