// A reload that changes one filter touches one set element: the port the
// old filter blocked opens, the new one closes, and every other element,
// its counter included, stays as it was (the table is not replaced: rule
// handles survive).
#include <doctest/doctest.h>

#include <algorithm>

#include <fmt/format.h>

#include "kernel/kernel_state.hpp"
#include "kernel/nft_batch.hpp"
#include "kernel/nft_readback.hpp"
#include "kernel/nft_set_delta.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

// Inbound UDP from a (192.0.2.1) blocked on `ports`, behind 200 other
// blocked hosts. The filter lines stay where they are whatever the ports,
// so element comments (file:line) only differ where a port does.
StoreBuilder blocked_ports(std::uint16_t first, std::uint16_t second) {
    StoreBuilder b;
    b.action("Block", ActionKind::Block);
    for (int i = 0; i < 200; ++i)
        b.filter("Blocked", {.src = fmt::format("10.0.{}.{}", i / 256, i % 256),
                             .dst = "me",
                             .protocol = udp,
                             .dport = 1434,
                             .mirrored = false});
    for (const auto port : {first, second})
        b.filter("Blocked", {.src = "192.0.2.1", .dst = "me", .protocol = udp, .dport = port, .mirrored = false});
    b.rule("Block ports", "Blocked", "Block");
    return b;
}

const kernel::NftLiveElement* element(const kernel::NftLiveSet& set, const std::string& key) {
    const auto e = std::find_if(set.elements.begin(), set.elements.end(),
                                [&](const kernel::NftLiveElement& x) { return x.key == key; });
    return e == set.elements.end() ? nullptr : &*e;
}

std::uint64_t packets(const kernel::NftLiveElement* e) {
    REQUIRE(e);
    REQUIRE(e->counter);
    return e->counter->packets;
}

std::vector<std::string> keys(const kernel::NftLiveSet& set) {
    std::vector<std::string> out;
    for (const auto& e : set.elements) out.push_back(e.key);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> keys(const kernel::NftSet& set) {
    std::vector<std::string> out;
    for (const auto& e : set.elements) {
        std::string text;
        for (std::size_t i = 0; i < set.key.size(); ++i) {
            const auto type = kernel::value_type(set.key[i].field);
            text += (i ? " . " : "") + kernel::format_value(type, std::span(e.key[i]).first(kernel::value_length(type)),
                                                            set.key[i].masked() ? set.key[i].prefix_length : -1);
        }
        out.push_back(text);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("swapping one blocked port for another changes one element and keeps the others' counters") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto old_plan = make_plan(blocked_ports(7000, 7001), options_for_b());
    const auto new_plan = make_plan(blocked_ports(7002, 7001), options_for_b());
    const kernel::KernelState running{kernel::build_nft_ruleset(old_plan.plan), {}};
    const kernel::KernelState desired{kernel::build_nft_ruleset(new_plan.plan), {}};
    {
        Inside inside(pair.b);
        const auto applied = kernel::apply_kernel_state(running);
        REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
        CHECK(applied->nft_table_replaced);
    }

    UdpReceiver r7000(pair.b, 7000), r7001(pair.b, 7001), r7002(pair.b, 7002);
    send_udp(pair.a, "192.0.2.2", 7000);
    send_udp(pair.a, "192.0.2.2", 7001, 3);
    send_udp(pair.a, "192.0.2.2", 7002);
    CHECK(r7000.receive_all().empty());
    CHECK(r7001.receive_all().empty());
    CHECK(r7002.receive_all().size() == 1);

    const auto before = state_in(pair.b);
    const auto* rule_before = before.rule_with_comment("c0 ");
    REQUIRE(rule_before);
    const auto* set_before = before.set("c0");
    REQUIRE(set_before);
    CHECK(set_before->elements.size() == 202);
    CHECK(packets(element(*set_before, "192.0.2.1 . 192.0.2.2 . 17 . 7001")) == 3);

    const auto deltas = kernel::diff_nft_rulesets(running.nft, desired.nft);
    REQUIRE(deltas.has_value());
    REQUIRE(deltas->size() == 1);
    CHECK(deltas->front().removed.size() == 1);
    CHECK(deltas->front().added.size() == 1);
    {
        Inside inside(pair.b);
        const auto applied = kernel::apply_kernel_state(desired, &running);
        REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
        CHECK_FALSE(applied->nft_table_replaced);
        CHECK(applied->nft_replace_reason.empty());
        CHECK(applied->nft_elements_removed == 1);
        CHECK(applied->nft_elements_added == 1);
        CHECK(applied->nft_elements == 202);
    }

    const auto after = state_in(pair.b);
    const auto* rule_after = after.rule_with_comment("c0 ");
    REQUIRE(rule_after);
    CHECK(rule_after->handle == rule_before->handle);  // same table, same rule
    const auto* set_after = after.set("c0");
    REQUIRE(set_after);
    CHECK(keys(*set_after) == keys(desired.nft.sets.front()));
    CHECK(element(*set_after, "192.0.2.1 . 192.0.2.2 . 17 . 7000") == nullptr);
    CHECK(packets(element(*set_after, "192.0.2.1 . 192.0.2.2 . 17 . 7001")) == 3);  // kept its count
    CHECK(packets(element(*set_after, "192.0.2.1 . 192.0.2.2 . 17 . 7002")) == 0);
    CHECK(element(*set_after, "192.0.2.1 . 192.0.2.2 . 17 . 7002")->comment ==
          element(*set_before, "192.0.2.1 . 192.0.2.2 . 17 . 7000")->comment);  // same filter line
    // Nothing else moved: the 201 other elements are the same keys with the
    // same comments.
    std::size_t same = 0;
    for (const auto& e : set_before->elements)
        if (const auto* now = element(*set_after, e.key); now && now->comment == e.comment) ++same;
    CHECK(same == 201);

    // Real packets: 7000 now arrives, 7002 is dropped, 7001 still is.
    send_udp(pair.a, "192.0.2.2", 7000);
    send_udp(pair.a, "192.0.2.2", 7001);
    send_udp(pair.a, "192.0.2.2", 7002, 2);
    CHECK(r7000.receive_all().size() == 1);
    CHECK(r7001.receive_all().empty());
    CHECK(r7002.receive_all().empty());
    const auto last = state_in(pair.b);
    CHECK(packets(element(*last.set("c0"), "192.0.2.1 . 192.0.2.2 . 17 . 7001")) == 4);
    CHECK(packets(element(*last.set("c0"), "192.0.2.1 . 192.0.2.2 . 17 . 7002")) == 2);
}

TEST_CASE("a filter whose source line moved is deleted and re-added with its new comment") {
    NFT_NETNS_OR_SKIP(ns, Namespace::create);
    const auto owned = make_plan(blocked_ports(7000, 7001), options_for_b());
    const auto running = kernel::build_nft_ruleset(owned.plan);
    auto desired = running;
    auto& moved = desired.sets.front().elements.back();
    const auto old_comment = moved.comment;
    moved.comment = "t.netsh:999:1";

    Inside inside(ns);
    REQUIRE(kernel::apply_nft_ruleset(running).has_value());
    const auto deltas = kernel::diff_nft_rulesets(running, desired);
    REQUIRE(deltas.has_value());
    REQUIRE(deltas->size() == 1);
    CHECK(deltas->front().removed.size() == 1);
    CHECK(deltas->front().added.size() == 1);
    const auto applied = kernel::apply_nft_set_deltas(*deltas);
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));

    const auto state = kernel::read_nft_state();
    REQUIRE(state.has_value());
    const auto* set = state->set("c0");
    REQUIRE(set);
    CHECK(set->elements.size() == 202);
    const auto* e = element(*set, "192.0.2.1 . 192.0.2.2 . 17 . 7001");
    REQUIRE(e);
    CHECK(e->comment == "t.netsh:999:1");
    CHECK(std::none_of(set->elements.begin(), set->elements.end(),
                       [&](const kernel::NftLiveElement& x) { return x.comment == old_comment; }));
}
