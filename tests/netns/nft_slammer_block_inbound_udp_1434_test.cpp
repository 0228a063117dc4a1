// KB 813878 on host b: UDP to port 1434 is dropped (and counted against the
// Windows filter that asked for it), other ports still arrive.
#include <doctest/doctest.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("slammer block: UDP to 1434 is dropped and counted, UDP to 1435 arrives") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(kb813878(), options_for_b());
    const auto applied = apply_in(pair.b, kernel::build_nft_ruleset(owned.plan));
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));

    UdpReceiver blocked(pair.b, 1434), open(pair.b, 1435);
    send_udp(pair.a, "192.0.2.2", 1434, 3);
    send_udp(pair.a, "192.0.2.2", 1435, 2);
    CHECK(blocked.receive_all().empty());
    CHECK(open.receive_all().size() == 2);

    const auto state = state_in(pair.b);
    REQUIRE(state.present);
    const auto* rule = state.rule_with_comment("c0 inbound block");
    REQUIRE(rule);
    CHECK(rule->verdict == kernel::NftVerdict::Drop);
    REQUIRE(rule->counter);
    CHECK(rule->counter->packets == 3);
    CHECK(rule->counter->bytes == 3 * (20 + 8 + 32));

    // The element says which Windows filter matched.
    const auto* set = state.set(rule->set);
    REQUIRE(set);
    std::string elements;
    for (const auto& e : set->elements) elements += e.key + " " + e.comment + "\n";
    INFO(elements);
    REQUIRE(set->elements.size() == 1);
    CHECK(set->elements[0].key == "192.0.2.2 . 17 . 1434");
    CHECK(set->elements[0].comment == "t.netsh:3:1");
    REQUIRE(set->elements[0].counter);
    CHECK(set->elements[0].counter->packets == 3);
}

TEST_CASE("slammer block: b cannot send to port 1434 either (the outbound rule)") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(kb813878(), options_for_b());
    REQUIRE(apply_in(pair.b, kernel::build_nft_ruleset(owned.plan)).has_value());

    UdpReceiver at_a(pair.a, 1434);
    send_udp(pair.b, "192.0.2.1", 1434, 2);
    CHECK(at_a.receive_all().empty());
    // Replies FROM 1434 are untouched (spec E3).
    UdpReceiver reply(pair.a, 40000);
    send_udp(pair.b, "192.0.2.1", 40000, 1, 32, 1434);
    CHECK(reply.receive_all().size() == 1);

    const auto state = state_in(pair.b);
    const auto* rule = state.rule_with_comment("c1 outbound block");
    REQUIRE(rule);
    REQUIRE(rule->counter);
    CHECK(rule->counter->packets == 2);
}
