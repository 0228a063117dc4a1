// A subnet block filter is an element of a hash set looked up with the
// packet's address masked to the class's prefix length: a host anywhere in
// the subnet is dropped (and counted against its filter), the first address
// past it is delivered. Prefixes that do not end on a byte (/25, /63) make
// a wrong mask visible at the edges.
#include <doctest/doctest.h>

#include <algorithm>

#include <fmt/format.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

StoreBuilder block_subnets_inbound() {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("Subnets", {.src = "198.51.100.0/25", .dst = "me", .mirrored = false})
        .filter("Subnets", {.src = "203.0.113.128/25", .dst = "me", .mirrored = false})
        .filter("Subnets", {.src = "2001:db8:1::/63", .dst = "me", .mirrored = false})
        .filter("Subnets", {.src = "2001:db8:2::/63", .dst = "me", .mirrored = false})
        .rule("Block subnets", "Subnets", "Block");
    return b;
}

struct SubnetCase {
    const char* inside;   // last address of the blocked subnet
    const char* outside;  // the next address
    const char* to;       // b
    const char* element;  // the read-back key of the matching element (source . me)
};

void check_subnet_block(const SubnetCase& c) {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    // a sends from both addresses; b routes them back over the link (no
    // reverse-path filter surprises).
    const bool v6 = std::string_view(c.to).find(':') != std::string_view::npos;
    const char* host = v6 ? "/128 nodad" : "/32";
    REQUIRE(pair.a.run(
                fmt::format("ip addr add {0}{2} dev v0 && ip addr add {1}{2} dev v0", c.inside, c.outside, host)) == 0);
    REQUIRE(pair.b.run("ip route add 198.51.100.0/24 dev v1 && ip route add 2001:db8:1::/48 dev v1") == 0);
    const auto owned = make_plan(block_subnets_inbound(), options_for_b());
    const auto ruleset = kernel::build_nft_ruleset(owned.plan);
    const auto applied = apply_in(pair.b, ruleset);
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));

    UdpReceiver receiver(pair.b, 7000, v6);
    send_udp_from(pair.a, c.inside, c.to, 7000, 3);
    CHECK(receiver.receive_all().empty());
    send_udp_from(pair.a, c.outside, c.to, 7000, 2);
    CHECK(receiver.receive_all().size() == 2);

    const auto state = state_in(pair.b);
    const auto family = v6 ? IpFamily::V6 : IpFamily::V4;
    const auto cls = std::find_if(owned.plan.classes.begin(), owned.plan.classes.end(),
                                  [&](const plan::ShapeClass& k) { return k.family == family; });
    REQUIRE(cls != owned.plan.classes.end());
    const auto* rule = state.rule_with_comment(fmt::format("c{} inbound block", cls->id));
    REQUIRE(rule);
    REQUIRE(rule->counter);
    CHECK(rule->counter->packets == 3);
    const auto* set = state.set(rule->set);
    REQUIRE(set);
    std::vector<std::string> keys;
    for (const auto& e : set->elements) {
        keys.push_back(e.key);
        if (e.key != c.element) continue;
        REQUIRE(e.counter);
        CHECK(e.counter->packets == 3);  // the filter that matched, not its neighbour
    }
    std::sort(keys.begin(), keys.end());
    INFO("elements: " << fmt::format("{}", fmt::join(keys, ", ")));
    CHECK(std::find(keys.begin(), keys.end(), c.element) != keys.end());
    CHECK(keys.size() == 2);
}

}  // namespace

TEST_CASE("IPv4 /25 block: 198.51.100.127 is dropped and counted, 198.51.100.128 arrives") {
    check_subnet_block({"198.51.100.127", "198.51.100.128", "192.0.2.2", "198.51.100.0/25 . 192.0.2.2"});
}

TEST_CASE("IPv6 /63 block: the last address of 2001:db8:1::/63 is dropped, 2001:db8:1:2:: arrives") {
    check_subnet_block(
        {"2001:db8:1:1:ffff:ffff:ffff:ffff", "2001:db8:1:2::", "2001:db8::2", "2001:db8:1::/63 . 2001:db8::2"});
}
