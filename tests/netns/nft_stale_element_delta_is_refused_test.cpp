// An element batch computed against a table that is not what the kernel
// holds is refused whole: deleting an element that is not there, adding one
// that already is, naming a missing set or a missing table. Nothing changes
// (counters included), and apply_kernel_state then replaces the table.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "kernel/kernel_state.hpp"
#include "kernel/nft_batch.hpp"
#include "kernel/nft_set_delta.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

StoreBuilder blocked_ports(std::initializer_list<std::uint16_t> ports) {
    StoreBuilder b;
    b.action("Block", ActionKind::Block);
    for (const auto port : ports)
        b.filter("Blocked", {.src = "192.0.2.1", .dst = "me", .protocol = udp, .dport = port, .mirrored = false});
    b.rule("Block ports", "Blocked", "Block");
    return b;
}

// The element of `set` (built from blocked_ports) for `port`.
kernel::NftSetElement port_element(const kernel::NftSet& set, std::uint16_t port) {
    for (auto e : set.elements)
        if (e.key.back()[0] == (port >> 8) && e.key.back()[1] == (port & 0xff)) return e;
    FAIL("no element for port " << port);
    return {};
}

void check_refused(const std::expected<void, Error>& result, const char* errno_text) {
    REQUIRE_FALSE(result.has_value());
    INFO(result.error().message);
    CHECK(result.error().message.find(errno_text) != std::string::npos);
    CHECK(result.error().message.find("no element changed") != std::string::npos);
}

}  // namespace

TEST_CASE("element deltas that do not match the live table are refused and change nothing") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    const auto owned = make_plan(blocked_ports({7000, 7001}), options_for_b());
    const auto ruleset = kernel::build_nft_ruleset(owned.plan);
    REQUIRE(ruleset.sets.size() == 1);
    const auto& set = ruleset.sets.front();
    const auto other = make_plan(blocked_ports({7000, 7001, 7002, 7005}), options_for_b());
    const auto other_ruleset = kernel::build_nft_ruleset(other.plan);
    const auto& wider = other_ruleset.sets.front();

    REQUIRE(apply_in(pair.b, ruleset).has_value());
    send_udp(pair.a, "192.0.2.2", 7001, 2);  // counters that must survive
    // (Compared without counters: link-local IPv6 traffic on the new link
    // may still tick the exemption rules'.)
    const std::string before = normalised_listing(list_table(pair.b));
    const auto counted_7001 = [&] {
        const auto state = state_in(pair.b);
        for (const auto& e : state.set("c0")->elements)
            if (e.key.ends_with(" . 7001") && e.counter) return e.counter->packets;
        return std::uint64_t{0};
    };
    REQUIRE(counted_7001() == 2);

    // Removes 7000 (there) and 7005 (not there), adds 7002.
    kernel::NftSetDelta missing{
        set.name, set.key, {port_element(set, 7000), port_element(wider, 7005)}, {port_element(wider, 7002)}};
    // Adds 7001, already there: NLM_F_EXCL makes that an error.
    kernel::NftSetDelta duplicate{set.name, set.key, {}, {port_element(wider, 7002), port_element(set, 7001)}};
    kernel::NftSetDelta no_such_set{"c99", set.key, {}, {port_element(wider, 7002)}};
    {
        Inside inside(pair.b);
        check_refused(kernel::apply_nft_set_deltas(std::span(&missing, 1)), "No such file or directory");
        check_refused(kernel::apply_nft_set_deltas(std::span(&duplicate, 1)), "File exists");
        check_refused(kernel::apply_nft_set_deltas(std::span(&no_such_set, 1)), "No such file or directory");
    }
    CHECK(normalised_listing(list_table(pair.b)) == before);
    CHECK(counted_7001() == 2);
    UdpReceiver r7000(pair.b, 7000), r7002(pair.b, 7002);
    send_udp(pair.a, "192.0.2.2", 7000);
    send_udp(pair.a, "192.0.2.2", 7002);
    CHECK(r7000.receive_all().empty());
    CHECK(r7002.receive_all().size() == 1);

    // The same through apply_kernel_state, with a `running` that claims 7005
    // where the kernel has 7000: the element batch is refused, the table is
    // replaced instead, and the result is the desired table all the same.
    const auto claimed = make_plan(blocked_ports({7005, 7001}), options_for_b());
    const auto desired_plan = make_plan(blocked_ports({7002, 7001}), options_for_b());
    const kernel::KernelState running{kernel::build_nft_ruleset(claimed.plan), {}};
    const kernel::KernelState desired{kernel::build_nft_ruleset(desired_plan.plan), {}};
    {
        Inside inside(pair.b);
        const auto applied = kernel::apply_kernel_state(desired, &running);
        REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
        CHECK(applied->nft_table_replaced);
        CHECK(applied->nft_replace_reason.find("No such file or directory") != std::string::npos);
        CHECK(applied->nft_elements_added == 0);
    }
    auto fresh = Namespace::create();
    REQUIRE(fresh);
    REQUIRE(apply_in(*fresh, desired.nft).has_value());
    CHECK(normalised_listing(list_table(pair.b)) == normalised_listing(list_table(*fresh)));
    send_udp(pair.a, "192.0.2.2", 7000);
    send_udp(pair.a, "192.0.2.2", 7002);
    CHECK(r7000.receive_all().size() == 1);
    CHECK(r7002.receive_all().empty());
}

TEST_CASE("no table: an element delta is refused, apply_kernel_state installs the table") {
    NFT_NETNS_OR_SKIP(ns, Namespace::create);
    const auto owned = make_plan(blocked_ports({7000}), options_for_b());
    const kernel::KernelState state{kernel::build_nft_ruleset(owned.plan), {}};
    const auto& set = state.nft.sets.front();
    kernel::NftSetDelta add{set.name, set.key, {}, set.elements};

    Inside inside(ns);
    check_refused(kernel::apply_nft_set_deltas(std::span(&add, 1)), "No such file or directory");
    CHECK(ns.output("nft list tables").find("winipsec") == std::string::npos);

    // `running` says the table is there and as desired: nothing to send, but
    // the table is missing, so it goes in whole.
    const auto applied = kernel::apply_kernel_state(state, &state);
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
    CHECK(applied->nft_table_replaced);
    CHECK(applied->nft_replace_reason == "table inet winipsec is missing");
    CHECK(ns.output("nft list tables").find("table inet winipsec") != std::string::npos);

    // And now it is there: a reload without changes sends nothing.
    const auto again = kernel::apply_kernel_state(state, &state);
    REQUIRE(again.has_value());
    CHECK_FALSE(again->nft_table_replaced);
    CHECK(again->nft_elements_added + again->nft_elements_removed == 0);
}
