// Applying a changed policy replaces the whole table: nothing of the old
// policy survives, and the result is what a fresh apply of the new one gives.
#include <doctest/doctest.h>

#include <algorithm>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("re-apply with a changed plan: no leftover sets, rules or elements of the old one") {
    NFT_NETNS_OR_SKIP(reused, Namespace::create);
    NFT_NETNS_OR_SKIP(fresh, Namespace::create);
    auto options = options_for_b();
    options.no_default_exempt = 0;
    const auto first = make_plan(every_shape(), options);
    const auto second = make_plan(block_all_but_udp_5000(), options_for_b());
    const auto second_ruleset = kernel::build_nft_ruleset(second.plan);

    REQUIRE(apply_in(reused, kernel::build_nft_ruleset(first.plan)).has_value());
    const auto before = state_in(reused);
    CHECK(before.sets.size() > second_ruleset.sets.size());
    REQUIRE(before.chain("defrag"));
    // Read-back of a masked single-field set and of a port class, which is
    // split into a lookup with ports (TCP, UDP) and one without (the rest).
    const auto keys_of = [&](const std::string& name) {
        std::vector<std::string> keys;
        const auto* set = before.set(name);
        if (!set) return keys;
        for (const auto& e : set->elements) keys.push_back(e.key);
        std::sort(keys.begin(), keys.end());
        return keys;
    };
    const auto* partners = before.rule_with_comment("c12 inbound permit rule 'Partners'");
    REQUIRE(partners);
    CHECK(keys_of(partners->set) == std::vector<std::string>{"10.2.0.0/16", "10.3.0.0/16", "10.8.0.0/16"});
    const auto* subnets = before.set(partners->set);
    REQUIRE(subnets);
    for (const auto& e : subnets->elements) {
        CHECK(e.counter.has_value());
        if (e.key == "10.2.0.0/16") CHECK(e.comment == "t.netsh:10:1");
    }
    const auto* proxy = before.rule_with_comment("c8 inbound block rule 'Proxy'");
    REQUIRE(proxy);
    CHECK(keys_of(proxy->set) == std::vector<std::string>{"192.0.2.2 . 17 . 8080", "192.0.2.2 . 6 . 8080"});
    const auto* other = before.rule_with_comment("c8 inbound block rule 'Proxy' other protocols");
    REQUIRE(other);
    CHECK(keys_of(other->set) == std::vector<std::string>{"192.0.2.2"});

    REQUIRE(apply_in(reused, second_ruleset).has_value());
    REQUIRE(apply_in(fresh, second_ruleset).has_value());
    CHECK(normalised_listing(list_table(reused)) == normalised_listing(list_table(fresh)));

    const auto after = state_in(reused);
    CHECK(after.sets.size() == second_ruleset.sets.size());
    CHECK_FALSE(after.chain("defrag"));
    std::size_t rules = 0;
    for (const auto& c : after.chains) rules += c.rules.size();
    std::size_t expected = 0;
    for (const auto& c : second_ruleset.chains) expected += c.rules.size();
    CHECK(rules == expected);
    CHECK_FALSE(after.rule_with_comment("exemption kerberos"));
}
