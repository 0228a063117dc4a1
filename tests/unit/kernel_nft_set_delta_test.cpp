// diff_nft_set / diff_nft_rulesets: which elements a reload must touch, and
// when only a whole-table replace will do.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "kernel/nft_set_delta.hpp"
#include "plan_fixture.hpp"

using namespace winipsec;
using namespace winipsec::kernel;
using namespace winipsec::test;

namespace {

const std::vector<NftKeyPart> host_port_key{{NftKeyField::Ip4Source, 32}, {NftKeyField::DestinationPort}};

// Host 10.x.y.z (from n) to port `port`, commented with its "source line".
NftSetElement element(std::uint32_t n, std::uint16_t port, std::string comment = {}) {
    NftSetElement e;
    NftValue address{}, service{};
    address[0] = 10;
    address[1] = static_cast<std::uint8_t>(n >> 16);
    address[2] = static_cast<std::uint8_t>(n >> 8);
    address[3] = static_cast<std::uint8_t>(n);
    service[0] = static_cast<std::uint8_t>(port >> 8);
    service[1] = static_cast<std::uint8_t>(port);
    e.key = {address, service};
    e.comment = comment.empty() ? "t.netsh:" + std::to_string(n) + ":1" : std::move(comment);
    return e;
}

NftSet hosts(std::uint32_t count, std::string name = "c0") {
    NftSet s{std::move(name), host_port_key, true, {}};
    s.elements.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) s.elements.push_back(element(i, 1434));
    return s;
}

NftRuleset ruleset_with(std::vector<NftSet> sets) {
    NftRuleset r;
    NftChain input{"input", NftHook::Input, 0, {}};
    for (const auto& s : sets)
        input.rules.push_back(
            {{NftMatchFamily{IpFamily::V4}, NftMatchSet{s.name, s.key}}, true, NftVerdict::Drop, s.name});
    r.sets = std::move(sets);
    r.chains.push_back(std::move(input));
    return r;
}

}  // namespace

TEST_CASE("identical sets: nothing to do") {
    const auto s = hosts(100);
    CHECK(diff_nft_set(s, s).empty());
}

TEST_CASE("one element swapped: exactly it is removed and its replacement added") {
    const auto before = hosts(100);
    auto after = before;
    after.elements[40] = element(40, 1435);
    const auto d = diff_nft_set(before, after);
    CHECK(d.set == "c0");
    CHECK(d.key == host_port_key);
    REQUIRE(d.removed.size() == 1);
    REQUIRE(d.added.size() == 1);
    CHECK(d.removed[0] == element(40, 1434));
    CHECK(d.added[0] == element(40, 1435));
}

TEST_CASE("an element inserted or dropped in the middle shifts nothing else") {
    const auto before = hosts(100);
    auto inserted = before;
    inserted.elements.insert(inserted.elements.begin() + 10, element(5000, 53));
    const auto grow = diff_nft_set(before, inserted);
    CHECK(grow.removed.empty());
    REQUIRE(grow.added.size() == 1);
    CHECK(grow.added[0] == element(5000, 53));

    auto dropped = before;
    dropped.elements.erase(dropped.elements.begin() + 99);
    const auto shrink = diff_nft_set(before, dropped);
    CHECK(shrink.added.empty());
    REQUIRE(shrink.removed.size() == 1);
    CHECK(shrink.removed[0] == element(99, 1434));
}

TEST_CASE("reordered elements are the same set") {
    const auto before = hosts(1000);
    auto after = before;
    std::reverse(after.elements.begin(), after.elements.end());
    CHECK(diff_nft_set(before, after).empty());
}

TEST_CASE("a changed comment means delete and add: nft cannot rewrite an element") {
    const auto before = hosts(10);
    auto after = before;
    after.elements[3].comment = "t.netsh:99:1";
    const auto d = diff_nft_set(before, after);
    REQUIRE(d.removed.size() == 1);
    REQUIRE(d.added.size() == 1);
    CHECK(d.removed[0].comment == "t.netsh:3:1");
    CHECK(d.added[0].comment == "t.netsh:99:1");
    CHECK(d.added[0].key == d.removed[0].key);
}

TEST_CASE("changes far apart and moved elements: results follow set order") {
    const auto before = hosts(50);
    auto after = before;
    std::swap(after.elements[1], after.elements[48]);  // moved: no change
    after.elements[20] = element(777, 80);
    after.elements[5] = element(555, 80);
    const auto d = diff_nft_set(before, after);
    REQUIRE(d.removed.size() == 2);
    REQUIRE(d.added.size() == 2);
    CHECK(d.removed[0] == element(5, 1434));
    CHECK(d.removed[1] == element(20, 1434));
    CHECK(d.added[0] == element(555, 80));
    CHECK(d.added[1] == element(777, 80));
}

TEST_CASE("rulesets differing only in elements give one delta per changed set") {
    const auto before = ruleset_with({hosts(10, "c0"), hosts(10, "c1"), hosts(10, "c2")});
    auto after = before;
    after.sets[2].elements.push_back(element(10, 1434));
    const auto deltas = diff_nft_rulesets(before, after);
    REQUIRE(deltas.has_value());
    REQUIRE(deltas->size() == 1);
    CHECK(deltas->front().set == "c2");
    CHECK(deltas->front().added.size() == 1);

    const auto same = diff_nft_rulesets(before, before);
    REQUIRE(same.has_value());
    CHECK(same->empty());
}

TEST_CASE("anything but elements changed: no delta, the table must be replaced") {
    const auto before = ruleset_with({hosts(10, "c0"), hosts(10, "c1")});
    auto renamed = before;
    renamed.sets[1].name = "c1_other";
    CHECK_FALSE(diff_nft_rulesets(before, renamed).has_value());
    auto rekeyed = before;
    rekeyed.sets[0].key[0].prefix_length = 24;
    CHECK_FALSE(diff_nft_rulesets(before, rekeyed).has_value());
    auto uncounted = before;
    uncounted.sets[0].counter = false;
    CHECK_FALSE(diff_nft_rulesets(before, uncounted).has_value());
    auto reordered = before;
    std::swap(reordered.sets[0], reordered.sets[1]);
    CHECK_FALSE(diff_nft_rulesets(before, reordered).has_value());
    auto fewer = before;
    fewer.sets.pop_back();
    CHECK_FALSE(diff_nft_rulesets(before, fewer).has_value());
    auto recommented = before;
    recommented.chains[0].rules[0].comment = "c0 inbound block rule 'other'";
    CHECK_FALSE(diff_nft_rulesets(before, recommented).has_value());
    auto reverdict = before;
    reverdict.chains[0].rules[1].verdict = NftVerdict::Accept;
    CHECK_FALSE(diff_nft_rulesets(before, reverdict).has_value());
    auto more_chains = before;
    more_chains.chains.push_back({"output", NftHook::Output, 0, {}});
    CHECK_FALSE(diff_nft_rulesets(before, more_chains).has_value());
}

TEST_CASE("100 000-element sets that differ in one element diff in milliseconds") {
    const auto before = hosts(100'000);
    auto after = before;
    after.elements[50'000] = element(50'000, 1435);
    auto reversed = after;
    std::reverse(reversed.elements.begin(), reversed.elements.end());

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const auto in_place = diff_nft_set(before, after);
    const auto t1 = Clock::now();
    const auto reordered = diff_nft_set(before, reversed);  // worst case: nothing in common at the ends
    const auto t2 = Clock::now();
    CHECK(in_place.removed.size() == 1);
    CHECK(in_place.added.size() == 1);
    CHECK(reordered == in_place);
    const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    MESSAGE("diff of two 100 000-element sets, one element apart: " << ms(t1 - t0) << " ms in place, " << ms(t2 - t1)
                                                                    << " ms with one list reversed");
    CHECK(ms(t1 - t0) < 1000);  // a guard against quadratic behaviour, not a benchmark
}
