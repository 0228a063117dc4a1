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
    REQUIRE(ns.run("nft add table inet other && nft add chain inet other keep && "
                   "nft add rule inet other keep counter") == 0);
    const auto owned = make_plan(kb813878(), options_for_b());
    REQUIRE(apply_in(ns, kernel::build_nft_ruleset(owned.plan)).has_value());
    CHECK(state_in(ns).present);
    // Applying does not touch it either.
    CHECK(ns.output("nft list table inet other").find("counter") != std::string::npos);

    const auto removed = remove_in(ns);
    REQUIRE_MESSAGE(removed.has_value(), (removed ? "" : removed.error().message));
    const std::string tables = ns.output("nft list tables");
    CHECK(tables.find("table inet other") != std::string::npos);
    CHECK(tables.find("winipsec") == std::string::npos);
    CHECK(ns.output("nft list table inet other").find("counter") != std::string::npos);

    const auto state = state_in(ns);
    CHECK_FALSE(state.present);
    CHECK(state.chains.empty());
    CHECK(state.sets.empty());
    // Removing an absent table is fine.
    CHECK(remove_in(ns).has_value());
}
