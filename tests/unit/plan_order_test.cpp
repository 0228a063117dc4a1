// Properties of the plan's order and of mirroring, on random filters.
#include <doctest/doctest.h>

#include <random>

#include "plan/order.hpp"
#include "plan_fixture.hpp"

using namespace winipsec;
using namespace winipsec::plan;

namespace {

struct Random {
    std::mt19937 gen{12345};
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen); }

    Prefix prefix() {
        static const int lengths[] = {0, 8, 16, 24, 32};
        const int len = lengths[pick(0, 4)];
        // A small address space so that random prefixes overlap often.
        return Prefix::of(IpAddress::v4((198u << 24) | (51u << 16) | (static_cast<unsigned>(pick(0, 3)) << 8) |
                                        static_cast<unsigned>(pick(0, 3))),
                          len);
    }
    Selector selector() {
        Selector s{prefix(), prefix(), 0, 0, 0};
        const int p = pick(0, 3);
        s.protocol = p == 0 ? 0 : p == 1 ? 6 : p == 2 ? 17 : 1;
        if (s.protocol == 6 || s.protocol == 17) {
            s.source_port = pick(0, 1) ? 0 : static_cast<std::uint16_t>(pick(1, 3));
            s.destination_port = pick(0, 1) ? 0 : static_cast<std::uint16_t>(pick(1, 3));
        }
        return s;
    }
    Packet packet() {
        auto a = [&] {
            return IpAddress::v4((198u << 24) | (51u << 16) | (static_cast<unsigned>(pick(0, 3)) << 8) |
                                 static_cast<unsigned>(pick(0, 3)));
        };
        const int p = pick(0, 3);
        const std::uint8_t proto = p == 0 ? 47 : p == 1 ? 6 : p == 2 ? 17 : 1;
        return {a(), a(), proto, static_cast<std::uint16_t>(pick(1, 3)), static_cast<std::uint16_t>(pick(1, 3))};
    }
    PlanRule rule() {
        PlanRule r;
        r.selector = selector();
        r.verdict.action = static_cast<ActionKind>(pick(0, 2));
        r.weight = weight_of(r.selector, r.verdict);
        return r;
    }
};

}  // namespace

TEST_CASE("the order is a strict weak order under both tie-breaks") {
    Random rnd;
    std::vector<PlanRule> rules;
    for (int i = 0; i < 60; ++i) rules.push_back(rnd.rule());
    for (const auto tie : {TieBreak::Address, TieBreak::Protocol}) {
        for (const auto& a : rules) {
            CHECK_FALSE(consulted_before(a, a, tie));
            for (const auto& b : rules) {
                if (consulted_before(a, b, tie)) CHECK_FALSE(consulted_before(b, a, tie));
                for (const auto& c : rules) {
                    if (consulted_before(a, b, tie) && consulted_before(b, c, tie)) CHECK(consulted_before(a, c, tie));
                    // incomparability is transitive too
                    const bool ab = !consulted_before(a, b, tie) && !consulted_before(b, a, tie);
                    const bool bc = !consulted_before(b, c, tie) && !consulted_before(c, b, tie);
                    if (ab && bc) CHECK((!consulted_before(a, c, tie) && !consulted_before(c, a, tie)));
                }
            }
        }
    }
}

TEST_CASE("a strict subset is always consulted first") {
    Random rnd;
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        const PlanRule a = rnd.rule(), b = rnd.rule();
        if (!(a.selector.subset_of(b.selector) && !b.selector.subset_of(a.selector))) continue;
        ++checked;
        CHECK(consulted_before(a, b, TieBreak::Address));
        CHECK(consulted_before(a, b, TieBreak::Protocol));
    }
    CHECK(checked > 100);
}

TEST_CASE("subset_of and overlaps agree with packet matching") {
    Random rnd;
    for (int i = 0; i < 2000; ++i) {
        const Selector a = rnd.selector(), b = rnd.selector();
        for (int k = 0; k < 50; ++k) {
            const Packet p = rnd.packet();
            if (a.matches(p) && b.matches(p)) CHECK(a.overlaps(b));
            if (a.subset_of(b) && a.matches(p)) CHECK(b.matches(p));
        }
    }
}

TEST_CASE("mirrored(f) matches exactly f and its reverse, with ports swapped") {
    Random rnd;
    for (int i = 0; i < 300; ++i) {
        const Selector s = rnd.selector();
        test::StoreBuilder b;
        b.action("Block", ActionKind::Block);
        test::FilterSpec spec{.src = s.source.to_string(),
                              .dst = s.destination.to_string(),
                              .protocol = s.protocol,
                              .sport = s.source_port,
                              .dport = s.destination_port,
                              .mirrored = true};
        if (s.source.length == 0) spec.src = "any";
        if (s.destination.length == 0) spec.dst = "any";
        b.filter("L", spec).rule("r", "L", "Block");
        Diagnostics d;
        const auto plan = build_plan(b.store, test::options_with_me({}), d);
        for (int k = 0; k < 40; ++k) {
            const Packet p = rnd.packet();
            const Packet rev{p.destination, p.source, p.protocol, p.destination_port, p.source_port};
            bool plan_matches = false;
            for (const auto& r : plan.rules) plan_matches |= r.selector.matches(p);
            CHECK(plan_matches == (s.matches(p) || s.matches(rev)));
        }
    }
}

TEST_CASE("ranges split into the fewest covering prefixes") {
    const auto ps = range_to_prefixes(*IpAddress::parse("192.0.2.1"), *IpAddress::parse("192.0.2.6"));
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].to_string() == "192.0.2.1");
    CHECK(ps[1].to_string() == "192.0.2.2/31");
    CHECK(ps[2].to_string() == "192.0.2.4/31");
    CHECK(ps[3].to_string() == "192.0.2.6");
    const auto all = range_to_prefixes(*IpAddress::parse("0.0.0.0"), *IpAddress::parse("255.255.255.255"));
    REQUIRE(all.size() == 1);
    CHECK(all[0].length == 0);
}

TEST_CASE("host bits outside the mask are cleared (canonical selectors)") {
    const auto p = Prefix::of(*IpAddress::parse("192.0.2.77"), 24);
    CHECK(p.to_string() == "192.0.2.0/24");
}
