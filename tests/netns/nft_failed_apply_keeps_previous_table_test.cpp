// A batch the kernel refuses changes nothing: the table installed before
// keeps enforcing, and the error names the object the kernel refused.
#include <doctest/doctest.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("a refused batch leaves the previous table intact") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto old_plan = make_plan(kb813878(), options_for_b());
    REQUIRE(apply_in(pair.b, kernel::build_nft_ruleset(old_plan.plan)).has_value());
    const std::string before = list_table(pair.b);

    // The new ruleset is fine except for its last rule, which looks up a set
    // that does not exist: the kernel refuses that message, and with it the
    // whole transaction, including the delete of the old table.
    const auto new_plan = make_plan(block_all_but_udp_5000(), options_for_b());
    auto broken = kernel::build_nft_ruleset(new_plan.plan);
    broken.chains.front().rules.push_back(
        {{kernel::NftMatchFamily{IpFamily::V4}, kernel::NftMatchSet{"missing", {{kernel::NftKeyField::Protocol}}}},
         true,
         kernel::NftVerdict::Drop,
         "refers to a set that is not there"});
    const auto result = apply_in(pair.b, broken);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind == Error::Kind::System);
    CHECK(result.error().message.find("add rule input") != std::string::npos);
    CHECK(result.error().message.find("No such file or directory") != std::string::npos);

    CHECK(list_table(pair.b) == before);
    // And it still enforces: 1434 dropped, 5001 (blocked by the new plan) arrives.
    UdpReceiver blocked(pair.b, 1434), other(pair.b, 5001);
    send_udp(pair.a, "192.0.2.2", 1434);
    send_udp(pair.a, "192.0.2.2", 5001);
    CHECK(blocked.receive_all().empty());
    CHECK(other.receive_all().size() == 1);
}
