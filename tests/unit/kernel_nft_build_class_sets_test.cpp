// build_nft_class_sets hands out exactly the sets build_nft_ruleset puts in
// the table for a class: what a one-class change has to diff.
#include <doctest/doctest.h>

#include <algorithm>

#include "kernel/nft_ruleset.hpp"
#include "plan_fixture.hpp"

using namespace winipsec;
using namespace winipsec::test;

TEST_CASE("every class's sets, concatenated in class order, are the ruleset's sets") {
    constexpr std::uint8_t tcp = 6, udp = 17, icmp = 1;
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .action("Secure", ActionKind::Negotiate)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("Rdp", {.src = "any", .dst = "me", .protocol = tcp, .dport = 3389})
        .filter("Lan", {.src = "me", .dst = "10.1.0.0/16"})
        .filter("Subnets", {.src = "10.2.0.0/16", .dst = "any", .mirrored = false})
        .filter("Subnets", {.src = "10.3.0.0/16", .dst = "any", .mirrored = false})
        // Two ports on one host: one key in the "other protocols" set.
        .filter("AnyProtoPort", {.src = "198.51.100.7", .dst = "me", .dport = 8080, .mirrored = false})
        .filter("AnyProtoPort", {.src = "198.51.100.7", .dst = "me", .dport = 8081, .mirrored = false})
        .filter("Icmp", {.src = "any", .dst = "any", .protocol = icmp})
        .filter("V6Dns", {.src = "2001:db8:1::/48", .dst = "me", .protocol = udp, .dport = 53})
        .rule("Block all", "All", "Block")
        .rule("RDP", "Rdp", "Permit")
        .rule("Secure LAN", "Lan", "Secure")
        .rule("Partners", "Subnets", "Permit")
        .rule("Proxy", "AnyProtoPort", "Block")
        .rule("Ping", "Icmp", "Permit")
        .rule("DNS v6", "V6Dns", "Permit");
    Diagnostics diagnostics;
    const auto plan = plan::build_plan(b.store, options_with_me({"192.0.2.2", "2001:db8::2"}), diagnostics);
    const auto ruleset = kernel::build_nft_ruleset(plan);

    std::vector<kernel::NftSet> by_class;
    bool some_class_has_two = false;
    for (const auto& c : plan.classes) {
        auto sets = kernel::build_nft_class_sets(plan, c);
        some_class_has_two = some_class_has_two || sets.size() == 2;
        for (const auto& s : sets) CHECK(s.name.starts_with("c" + std::to_string(c.id)));
        by_class.insert(by_class.end(), sets.begin(), sets.end());
    }
    CHECK(some_class_has_two);
    CHECK(by_class == ruleset.sets);
    const auto other = std::find_if(by_class.begin(), by_class.end(),
                                    [](const kernel::NftSet& s) { return s.name.ends_with("_other"); });
    REQUIRE(other != by_class.end());
    CHECK(other->elements.size() == 1);  // 8080 and 8081 reduced to one key
}
