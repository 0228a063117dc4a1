// winipsec owns one table; removing it (present or not) never touches the
// administrator's own tables.
#include <doctest/doctest.h>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("remove_nft_table deletes inet winipsec and leaves table inet other alone") {
    NFT_NETNS_OR_SKIP(ns, Namespace::create);
    // Its chain is even called like ours.
    REQUIRE(
        ns.run(
            "nft add table inet other && nft add chain inet other input && "
            "nft add rule inet other input counter comment keep && nft add set inet other c0 { type ipv4_addr\\; }") ==
        0);
    const auto owned = make_plan(kb813878(), options_for_b());
    REQUIRE(apply_in(ns, kernel::build_nft_ruleset(owned.plan)).has_value());
    {
        // Read-back sees only winipsec's objects.
        const auto state = state_in(ns);
        CHECK(state.present);
        REQUIRE(state.chain("input"));
        CHECK_FALSE(state.rule_with_comment("keep"));
        CHECK(state.sets.size() == 2);
        CHECK(state.set("c0")->elements.size() == 1);
    }
    // Applying does not touch it either.
    CHECK(ns.output("nft list table inet other").find("comment \"keep\"") != std::string::npos);

    const auto removed = remove_in(ns);
    REQUIRE_MESSAGE(removed.has_value(), (removed ? "" : removed.error().message));
    const std::string tables = ns.output("nft list tables");
    CHECK(tables.find("table inet other") != std::string::npos);
    CHECK(tables.find("winipsec") == std::string::npos);
    CHECK(ns.output("nft list table inet other").find("comment \"keep\"") != std::string::npos);

    const auto state = state_in(ns);
    CHECK_FALSE(state.present);
    CHECK(state.chains.empty());
    CHECK(state.sets.empty());
    // Removing an absent table is fine.
    CHECK(remove_in(ns).has_value());
}
