#pragma once
// Installing and removing winipsec's nftables table, each as one atomic
// nf_tables transaction (spec §5.1). Only `inet winipsec` is ever touched.
#include <cstdint>
#include <expected>
#include <memory>
#include <span>

#include "import/error.hpp"
#include "kernel/nft_ruleset.hpp"
#include "kernel/nft_set_delta.hpp"

namespace winipsec::kernel {

// Replaces the table `inet winipsec` (present or not) with `ruleset` in one
// batch: either the whole new table is live afterwards or the old one is
// untouched. The batch carries the generation id read just before; when
// another process changed the ruleset in between, the kernel refuses it
// with ERESTART and it is rebuilt and resent, a bounded number of times.
// Kernel refusals come back as Error::system naming the failing object and
// the kernel's own explanation when it gave one.
std::expected<void, Error> apply_nft_ruleset(const NftRuleset& ruleset);

// Changes only set elements of the live table `inet winipsec`, in one batch
// (same generation check and retries as apply_nft_ruleset): every delta's
// removed elements are deleted, then its added ones added. All or nothing:
// when an element to remove is not there, one to add already is, or the
// table or a set is missing, the kernel refuses the whole batch, nothing
// changes, and the Error says so; the caller then replaces the table. No
// deltas: nothing is sent.
//
// `connection`: an open socket to use instead of a new one (see NftConnection).
class NftConnection;
std::expected<void, Error> apply_nft_set_deltas(std::span<const NftSetDelta> deltas,
                                                NftConnection* connection = nullptr);

class NetlinkSocket;

// A netfilter netlink socket of this network namespace kept open across
// transactions. Closing a socket after a transaction that deleted set
// elements blocks for an RCU grace period (measured here: 12-14 ms, the
// kernel flushes its deferred release work when the socket goes), which
// `nft delete element` pays too; winipsecd keeps one so its quick reloads
// do not. Bound to the namespace it was opened in.
class NftConnection {
public:
    static std::expected<NftConnection, Error> open();
    NftConnection(NftConnection&&) noexcept;
    NftConnection& operator=(NftConnection&&) noexcept;
    ~NftConnection();

private:
    explicit NftConnection(std::unique_ptr<NetlinkSocket> socket);
    friend std::expected<void, Error> apply_nft_set_deltas(std::span<const NftSetDelta>, NftConnection*);
    std::unique_ptr<NetlinkSocket> socket_;
};

// Deletes the table `inet winipsec`; an absent table is not an error.
std::expected<void, Error> remove_nft_table();

// The nf_tables ruleset generation (NFT_MSG_GETGEN) of this namespace. Every
// committed transaction, by anyone, moves it on; measured here: 1 in a new
// namespace, +1 per `nft add table`.
std::expected<std::uint32_t, Error> read_nft_generation();

}  // namespace winipsec::kernel
