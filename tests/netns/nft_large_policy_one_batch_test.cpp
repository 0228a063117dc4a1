// A policy with thousands of filters still goes in as one transaction: the
// elements are split over several NEWSETELEM messages (each element list is
// one netlink attribute with a 16-bit length) inside the same batch, and
// every one of them is acknowledged.
#include <doctest/doctest.h>

#include <chrono>

#include <fmt/format.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("10 000 blocked hosts: one set, one rule, all elements live with their source lines") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    StoreBuilder b;
    b.action("Block", ActionKind::Block);
    for (int i = 0; i < 10'000; ++i)
        b.filter("Bad hosts", {.src = fmt::format("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                               .dst = "me",
                               .protocol = udp,
                               .dport = 1434,
                               .mirrored = false});
    // And the peer, last, so a real packet can prove the set works.
    b.filter("Bad hosts", {.src = "192.0.2.1", .dst = "me", .protocol = udp, .dport = 1434, .mirrored = false});
    b.rule("Block bad hosts", "Bad hosts", "Block");
    const auto owned = make_plan(b, options_for_b());
    const auto ruleset = kernel::build_nft_ruleset(owned.plan);
    REQUIRE(ruleset.sets.size() == 1);
    REQUIRE(ruleset.sets[0].elements.size() == 10'001);

    const auto started = std::chrono::steady_clock::now();
    const auto applied = apply_in(pair.b, ruleset);
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
    MESSAGE("apply of 10 001 elements took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                             << " ms");

    UdpReceiver blocked(pair.b, 1434);
    send_udp(pair.a, "192.0.2.2", 1434, 2);
    CHECK(blocked.receive_all().empty());

    const auto state = state_in(pair.b);
    const auto* set = state.set("c0");
    REQUIRE(set);
    CHECK(set->elements.size() == 10'001);
    std::size_t counted = 0;
    for (const auto& e : set->elements) {
        if (e.key != "192.0.2.1 . 192.0.2.2 . 17 . 1434") continue;
        CHECK(e.comment == "t.netsh:10003:1");
        REQUIRE(e.counter);
        counted = e.counter->packets;
    }
    CHECK(counted == 2);
}
