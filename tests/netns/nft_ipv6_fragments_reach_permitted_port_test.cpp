// A datagram larger than the link MTU, to a port permitted inside a
// block-all. IPv6 fragments reach the input hook one by one and only the
// first carries the port, so without reassembly the block-all eats the rest
// (measured; see add_reassembly in nft_build.cpp). `--fragments reassemble`
// (the default) loads conntrack's defragmentation and the datagram arrives.
// IPv4 needs nothing: the kernel reassembles before the input hook.
#include <doctest/doctest.h>

#include <algorithm>

#include "kernel/nft_readback.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

namespace {

StoreBuilder block_all_but_udp_5000_both_families() {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("All", {.src = "::/0", .dst = "me"})
        .filter("Udp5000", {.src = "any", .dst = "me", .protocol = udp, .dport = 5000})
        .filter("Udp5000", {.src = "::/0", .dst = "me", .protocol = udp, .dport = 5000})
        .rule("Block all", "All", "Block")
        .rule("Allow UDP 5000", "Udp5000", "Permit");
    return b;
}

// Sizes of the datagrams b receives on port 5000 after a sends one of 3000
// bytes to `destination`.
std::vector<std::size_t> big_datagram(const LinkedPair& pair, plan::FragmentRule fragments, const char* destination) {
    auto options = options_for_b();
    options.fragments = fragments;
    const auto owned = make_plan(block_all_but_udp_5000_both_families(), options);
    const auto applied = apply_in(pair.b, kernel::build_nft_ruleset(owned.plan));
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
    UdpReceiver rx(pair.b, 5000, std::string_view(destination).find(':') != std::string_view::npos);
    send_udp(pair.a, destination, 5000, 1, 3000);
    return rx.receive_all();
}

}  // namespace

TEST_CASE("IPv6: a fragmented datagram to a permitted port arrives with reassembly, not without") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    CHECK(big_datagram(pair, plan::FragmentRule::Ignore, "2001:db8::2").empty());
    CHECK(big_datagram(pair, plan::FragmentRule::Reassemble, "2001:db8::2") == std::vector<std::size_t>{3000});
    const auto state = state_in(pair.b);
    REQUIRE(state.chain("defrag"));
}

TEST_CASE("IPv4: the kernel reassembles before the input hook, so it arrives either way") {
    NFT_NETNS_OR_SKIP(pair, LinkedPair::create);
    CHECK(big_datagram(pair, plan::FragmentRule::Ignore, "192.0.2.2") == std::vector<std::size_t>{3000});
    CHECK(big_datagram(pair, plan::FragmentRule::BlockNonFirst, "192.0.2.2") == std::vector<std::size_t>{3000});
}
