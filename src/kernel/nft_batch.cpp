// One nf_tables transaction: BATCH_BEGIN (with the generation id) ...
// messages ... BATCH_END, sent in a single sendmsg(). The kernel applies it
// all or nothing and answers every message that asked for an ack before
// sendmsg() returns (nfnetlink_rcv_batch runs in the sender's context), so
// the replies are drained without waiting.
#include "kernel/nft_batch.hpp"

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/socket.h>

#include <cerrno>
#include <functional>

#include <fmt/format.h>

#include "kernel/netlink_socket.hpp"
#include "kernel/nft_encode.hpp"
#include "kernel/nft_objects.hpp"

namespace winipsec::kernel {
namespace {

// A concurrent writer (firewalld, another nft -f) can move the generation
// between our read and our commit; a few retries ride that out, more would
// hide a livelock.
constexpr int max_attempts = 5;

// Receive-buffer cost of one ack skb, as nft budgets it (mnl_batch_talk).
constexpr std::size_t ack_budget = 1024;

using Encoder = std::function<void(NftMessageBuffer&)>;

std::expected<std::uint32_t, Error> read_generation(NetlinkSocket& socket) {
    alignas(nlmsghdr) char buffer[256] = {};
    const std::uint32_t seq = socket.next_seq();
    auto* nlh = nftnl_nlmsg_build_hdr(buffer, NFT_MSG_GETGEN, AF_UNSPEC, 0, seq);
    if (auto sent = socket.send(nlh, nlh->nlmsg_len); !sent) return std::unexpected(sent.error());
    std::uint32_t id = 0;
    bool seen = false;
    auto received = socket.receive(
        seq,
        [&](const nlmsghdr& message) {
            auto gen = nftnl_owned(nftnl_gen_alloc());
            if (nftnl_gen_nlmsg_parse(&message, gen.get()) < 0) return NetlinkSocket::Next::Continue;
            id = nftnl_gen_get_u32(gen.get(), NFTNL_GEN_ID);
            seen = true;
            return NetlinkSocket::Next::Stop;
        },
        "reading the nftables generation");
    if (!received) return std::unexpected(received.error());
    if (!seen) return std::unexpected(Error::system("the kernel sent no nftables generation id"));
    return id;
}

enum class Outcome { Committed, GenerationMoved };

// `refusal_note` is appended when the kernel refused a message (and with it
// the whole batch).
std::expected<Outcome, Error> send_batch(NetlinkSocket& socket, const NftMessageBuffer& batch,
                                         std::string_view refusal_note) {
    // The whole batch is one skb, bounded by the send buffer.
    socket.reserve_buffers(batch.size() + 64 * 1024, batch.count() * ack_budget + 64 * 1024);
    if (auto sent = socket.send(batch.data(), batch.size()); !sent) return std::unexpected(sent.error());
    auto acks = socket.drain();
    if (!acks) return std::unexpected(acks.error());

    std::size_t confirmed = 0;
    const NetlinkAck* failure = nullptr;
    for (const auto& ack : *acks) {
        if (ack.code == -ERESTART) return Outcome::GenerationMoved;
        if (ack.code == 0)
            ++confirmed;
        else if (!failure)
            failure = &ack;
    }
    if (failure)
        return std::unexpected(
            Error::system(fmt::format("nftables refused the change at '{}': {}{}", batch.describe(failure->seq),
                                      describe_netlink_error(failure->code, failure->message), refusal_note)));
    // Everything between BEGIN and END asked for an ack; fewer means the
    // kernel did not process the batch as one transaction.
    if (confirmed < batch.count() - 2)
        return std::unexpected(
            Error::system(fmt::format("nftables acknowledged {} of {} messages; the change may not have been applied",
                                      confirmed, batch.count() - 2)));
    return Outcome::Committed;
}

std::expected<void, Error> run_transaction(NetlinkSocket& socket, const Encoder& encode, std::string_view what,
                                           std::string_view refusal_note = {}) {
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        auto generation = read_generation(socket);
        if (!generation) return std::unexpected(generation.error());
        NftMessageBuffer batch(socket.next_seq());
        encode_transaction(*generation, encode, batch);
        auto outcome = send_batch(socket, batch, refusal_note);
        if (!outcome) return std::unexpected(Error::system(fmt::format("{}: {}", what, outcome.error().message)));
        if (*outcome == Outcome::Committed) return {};
    }
    return std::unexpected(Error::system(
        fmt::format("{}: the nftables ruleset kept changing underneath (generation moved {} times); try again", what,
                    max_attempts)));
}

std::expected<void, Error> run_transaction(const Encoder& encode, std::string_view what,
                                           std::string_view refusal_note = {}) {
    auto socket = NetlinkSocket::open(NETLINK_NETFILTER);
    if (!socket) return std::unexpected(socket.error());
    return run_transaction(*socket, encode, what, refusal_note);
}

}  // namespace

std::expected<void, Error> apply_nft_ruleset(const NftRuleset& ruleset) {
    return run_transaction([&](NftMessageBuffer& out) { encode_table_replacement(ruleset, out); },
                           "installing table inet winipsec");
}

std::expected<NftConnection, Error> NftConnection::open() {
    auto socket = NetlinkSocket::open(NETLINK_NETFILTER);
    if (!socket) return std::unexpected(socket.error());
    return NftConnection(std::make_unique<NetlinkSocket>(std::move(*socket)));
}

NftConnection::NftConnection(std::unique_ptr<NetlinkSocket> socket) : socket_(std::move(socket)) {}
NftConnection::NftConnection(NftConnection&&) noexcept = default;
NftConnection& NftConnection::operator=(NftConnection&&) noexcept = default;
NftConnection::~NftConnection() = default;

std::expected<void, Error> apply_nft_set_deltas(std::span<const NftSetDelta> deltas, NftConnection* connection) {
    if (deltas.empty()) return {};
    const auto encode = [&](NftMessageBuffer& out) { encode_set_deltas(deltas, out); };
    const std::string_view what = "changing set elements of table inet winipsec";
    const std::string_view note = "; the kernel refused the whole batch, no element changed";
    if (connection) return run_transaction(*connection->socket_, encode, what, note);
    return run_transaction(encode, what, note);
}

std::expected<std::uint32_t, Error> read_nft_generation() {
    auto socket = NetlinkSocket::open(NETLINK_NETFILTER);
    if (!socket) return std::unexpected(socket.error());
    return read_generation(*socket);
}

std::expected<void, Error> remove_nft_table() {
    return run_transaction([](NftMessageBuffer& out) { encode_table_removal(out); }, "removing table inet winipsec");
}

}  // namespace winipsec::kernel
