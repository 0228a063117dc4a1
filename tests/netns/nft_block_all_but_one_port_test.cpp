// A block-all with a more specific permit (spec E2): the permit's class sits
// before the block-all's in the chain, so its packets get through; IKE stays
// exempt; everything else to and from b is dropped.
#include <doctest/doctest.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("block all but UDP 5000: 5000 arrives, 5001 does not, IKE is exempt, replies from 5000 leave") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(block_all_but_udp_5000(), options_for_b());
    const auto applied = apply_in(pair.b, kernel::build_nft_ruleset(owned.plan));
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));

    {
        UdpReceiver permitted(pair.b, 5000), other(pair.b, 5001), ike(pair.b, 500);
        send_udp(pair.a, "192.0.2.2", 5000, 2);
        send_udp(pair.a, "192.0.2.2", 5001, 2);
        send_udp(pair.a, "192.0.2.2", 500, 1);
        CHECK(permitted.receive_all().size() == 2);
        CHECK(other.receive_all().empty());
        CHECK(ike.receive_all().size() == 1);
    }  // closed: b's replies below send from port 5000

    // The mirror lets b answer from port 5000, but not from elsewhere.
    UdpReceiver at_a(pair.a, 41000);
    send_udp(pair.b, "192.0.2.1", 41000, 1, 32, 5000);
    CHECK(at_a.receive_all().size() == 1);
    send_udp(pair.b, "192.0.2.1", 41000, 1, 32, 5001);
    CHECK(at_a.receive_all().empty());

    const auto state = state_in(pair.b);
    const auto* input = state.chain("input");
    REQUIRE(input);
    // Rule order is plan order: the permit before the block-all.
    std::vector<std::string> classes;
    for (const auto& r : input->rules)
        if (r.comment.starts_with("c")) classes.push_back(r.comment);
    REQUIRE(classes.size() == 2);
    CHECK(classes[0].find("permit rule 'Allow UDP 5000'") != std::string::npos);
    CHECK(classes[1].find("block rule 'Block all'") != std::string::npos);
    const auto* block = state.rule_with_comment(classes[1].substr(0, classes[1].find(' ') + 1));
    REQUIRE(block);
    REQUIRE(block->counter);
    CHECK(block->counter->packets == 2);
}
