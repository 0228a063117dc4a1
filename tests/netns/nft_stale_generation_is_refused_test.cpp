// The contract apply_nft_ruleset's retry loop rests on (spec §5.1): a batch
// that carries a generation id older than the ruleset's is refused whole
// with ERESTART; a fresh read makes it go through.
#include <doctest/doctest.h>

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>

#include "kernel/netlink_socket.hpp"
#include "kernel/nft_batch.hpp"
#include "kernel/nft_encode.hpp"
#include "tests/netns/nft_plans.hpp"

using namespace winipsec;
using namespace winipsec::test;
using namespace winipsec::test::netns;

TEST_CASE("a batch with a stale generation id is refused with ERESTART and changes nothing") {
    NFT_NETNS_OR_SKIP(ns, Namespace::create);
    const auto owned = make_plan(kb813878(), options_for_b());
    const auto ruleset = kernel::build_nft_ruleset(owned.plan);

    Inside inside(ns);
    const auto before = kernel::read_nft_generation();
    REQUIRE(before.has_value());
    // Someone else commits in between.
    REQUIRE(ns.run("nft add table inet someone_else") == 0);
    const auto after = kernel::read_nft_generation();
    REQUIRE(after.has_value());
    CHECK(*after == *before + 1);

    auto socket = kernel::NetlinkSocket::open(NETLINK_NETFILTER);
    REQUIRE(socket.has_value());
    kernel::NftMessageBuffer batch(socket->next_seq());
    kernel::encode_transaction(
        *before, [&](kernel::NftMessageBuffer& out) { kernel::encode_table_replacement(ruleset, out); }, batch);
    REQUIRE(socket->send(batch.data(), batch.size()).has_value());
    const auto acks = socket->drain();
    REQUIRE(acks.has_value());
    REQUIRE(acks->size() == 1);
    CHECK(acks->front().code == -ERESTART);
    CHECK(batch.describe(acks->front().seq) == "begin transaction");
    CHECK(ns.output("nft list tables").find("winipsec") == std::string::npos);
    CHECK(*kernel::read_nft_generation() == *after);

    // The public entry point reads the generation itself.
    REQUIRE(kernel::apply_nft_ruleset(ruleset).has_value());
    CHECK(ns.output("nft list tables").find("table inet winipsec") != std::string::npos);
    CHECK(*kernel::read_nft_generation() == *after + 1);
}
