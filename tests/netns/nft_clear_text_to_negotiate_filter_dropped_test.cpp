// Require Security toward a peer: clear packets from it are dropped and
// counted as STATUS_IPSEC_CLEAR_TEXT_DROP (spec §8.5, §10); with inpass they
// are accepted; ESP itself gets through to the SAs.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

StoreBuilder secure_peer(bool inpass) {
    StoreBuilder b;
    b.action("Secure", ActionKind::Negotiate, inpass)
        .filter("Peer", {.src = "me", .dst = "192.0.2.1"})
        .rule("Secure peer", "Peer", "Secure");
    return b;
}

// One raw IPv4 packet of `protocol` (the kernel writes the IP header).
void send_raw(const Namespace& ns, const char* destination, int protocol) {
    Inside inside(ns);
    const int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, protocol);
    REQUIRE(fd >= 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    inet_pton(AF_INET, destination, &to.sin_addr);
    const char payload[16] = {0, 0, 0, 1};  // an SPI no state has
    CHECK(sendto(fd, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == sizeof payload);
    close(fd);
}

}  // namespace

TEST_CASE("negotiate without inpass: a clear datagram is dropped under STATUS_IPSEC_CLEAR_TEXT_DROP") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(secure_peer(false), options_for_b());
    REQUIRE(apply_in(pair.b, kernel::build_nft_ruleset(owned.plan)).has_value());

    UdpReceiver rx(pair.b, 6000);
    send_udp(pair.a, "192.0.2.2", 6000, 2);
    CHECK(rx.receive_all().empty());
    send_raw(pair.a, "192.0.2.2", IPPROTO_ESP);

    const auto state = state_in(pair.b);
    const kernel::NftLiveRule* clear_drop = nullptr;
    const kernel::NftLiveRule* protected_accept = nullptr;
    for (const auto& r : state.chain("input")->rules) {
        if (r.comment.find("STATUS_IPSEC_CLEAR_TEXT_DROP") != std::string::npos) clear_drop = &r;
        if (r.comment.find("(protected)") != std::string::npos) protected_accept = &r;
    }
    REQUIRE(clear_drop);
    REQUIRE(protected_accept);
    CHECK(clear_drop->verdict == kernel::NftVerdict::Drop);
    CHECK(clear_drop->counter->packets == 2);
    CHECK(protected_accept->counter->packets == 0);
    const auto* esp = state.rule_with_comment("ESP:");
    REQUIRE(esp);
    CHECK(esp->counter->packets == 1);
}

TEST_CASE("negotiate with inpass: a clear datagram is accepted") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(secure_peer(true), options_for_b());
    REQUIRE(apply_in(pair.b, kernel::build_nft_ruleset(owned.plan)).has_value());
    UdpReceiver rx(pair.b, 6000);
    send_udp(pair.a, "192.0.2.2", 6000, 2);
    CHECK(rx.receive_all().size() == 2);
    const auto state = state_in(pair.b);
    const kernel::NftLiveRule* accepted = nullptr;
    for (const auto& r : state.chain("input")->rules)
        if (r.comment.find("inbound negotiate-inpass") != std::string::npos) accepted = &r;
    REQUIRE(accepted);
    CHECK(accepted->counter->packets == 2);
}
