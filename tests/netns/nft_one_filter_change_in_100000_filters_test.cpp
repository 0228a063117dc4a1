// The case element deltas exist for: one filter of a 100 000-filter policy
// changes (mirrored /24 blocks, the shape of corpus sample 19: two classes,
// 200 000 elements). apply_kernel_state sends the two elements that differ
// (the filter and its mirror) instead of the table, and the peer it now
// names is blocked at once. Timings are printed, not asserted.
#include <doctest/doctest.h>

#include <chrono>

#include <fmt/format.h>

#include "kernel/kernel_state.hpp"
#include "kernel/nft_batch.hpp"
#include "kernel/nft_set_delta.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

// 100 000 distinct /24s from 10.0.0.0 up, the filter at `changed` naming
// `changed_to` instead.
StoreBuilder blocklist(int changed, const std::string& changed_to) {
    StoreBuilder b;
    b.action("Block", ActionKind::Block);
    for (int i = 0; i < 100'000; ++i) {
        const std::string source =
            i == changed ? changed_to : fmt::format("{}.{}.{}.0/24", 10 + (i >> 16), (i >> 8) & 255, i & 255);
        b.filter("Blocklist", {.src = source, .dst = "me"});
    }
    b.rule("Blocklist", "Blocklist", "Block");
    return b;
}

double ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

TEST_CASE("one filter changed among 100 000: two elements sent, the table stays") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    using Clock = std::chrono::steady_clock;
    const auto old_plan = make_plan(blocklist(70'000, "198.51.100.0/24"), options_for_b());
    const auto new_plan = make_plan(blocklist(70'000, "192.0.2.0/24"), options_for_b());
    const kernel::KernelState running{kernel::build_nft_ruleset(old_plan.plan), {}};
    const kernel::KernelState desired{kernel::build_nft_ruleset(new_plan.plan), {}};
    REQUIRE(running.nft.sets.size() == 2);

    auto t = Clock::now();
    const bool same = running == desired;
    const auto compare_took = Clock::now() - t;
    CHECK_FALSE(same);
    const auto copy = running;
    t = Clock::now();
    const bool equal = copy == running;  // a reload that changed nothing compares every element
    const auto equal_took = Clock::now() - t;
    CHECK(equal);
    t = Clock::now();
    const auto deltas = kernel::diff_nft_rulesets(running.nft, desired.nft);
    const auto diff_took = Clock::now() - t;
    REQUIRE(deltas.has_value());
    CHECK(deltas->size() == 2);  // inbound and mirrored outbound class

    {
        Inside inside(pair.b);
        t = Clock::now();
        const auto full = kernel::apply_kernel_state(running);
        const auto full_took = Clock::now() - t;
        REQUIRE_MESSAGE(full.has_value(), (full ? "" : full.error().message));
        CHECK(full->nft_table_replaced);
        CHECK(full->nft_elements == 200'000);
        MESSAGE("100 000 filters: whole-table apply " << ms(full_took) << " ms");
    }
    UdpReceiver receiver(pair.b, 7000);
    send_udp(pair.a, "192.0.2.2", 7000);
    CHECK(receiver.receive_all().size() == 1);

    {
        Inside inside(pair.b);
        t = Clock::now();
        const auto delta = kernel::apply_kernel_state(desired, &running);
        const auto delta_took = Clock::now() - t;
        REQUIRE_MESSAGE(delta.has_value(), (delta ? "" : delta.error().message));
        CHECK_FALSE(delta->nft_table_replaced);
        CHECK(delta->nft_elements_removed == 2);
        CHECK(delta->nft_elements_added == 2);
        MESSAGE("KernelState == " << ms(equal_took) << " ms on equal states, " << ms(compare_took)
                                  << " ms on these (it stops at the change)");
        MESSAGE("one filter changed: diff_nft_rulesets " << ms(diff_took) << " ms, apply_kernel_state with running "
                                                         << ms(delta_took) << " ms (XFRM dump included)");
    }
    send_udp(pair.a, "192.0.2.2", 7000);
    CHECK(receiver.receive_all().empty());
    const auto state = state_in(pair.b);
    std::size_t elements = 0;
    for (const auto& s : state.sets) elements += s.elements.size();
    CHECK(elements == 200'000);

    // And back, by the element batch alone.
    const auto back = kernel::diff_nft_rulesets(desired.nft, running.nft);
    REQUIRE(back.has_value());
    {
        Inside inside(pair.b);
        t = Clock::now();
        const auto undone = kernel::apply_nft_set_deltas(*back);
        const auto undo_took = Clock::now() - t;
        REQUIRE_MESSAGE(undone.has_value(), (undone ? "" : undone.error().message));
        MESSAGE("apply_nft_set_deltas of the 4 elements back: " << ms(undo_took) << " ms");
    }
    send_udp(pair.a, "192.0.2.2", 7000);
    CHECK(receiver.receive_all().size() == 1);
}
