#pragma once
// The ruleset model as nf_tables netlink messages, built through libnftnl
// objects. Internal to src/kernel: nft_batch.cpp wraps the messages in one
// transaction and sends them.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "kernel/nft_ruleset.hpp"
#include "kernel/nft_set_delta.hpp"

struct nlmsghdr;

namespace winipsec::kernel {

// Consecutive netlink messages in one contiguous buffer (one sendmsg = one
// transaction), each remembered with what it does so that an error reply,
// which only names a sequence number, can be reported as "add set c3".
class NftMessageBuffer {
public:
    explicit NftMessageBuffer(std::uint32_t first_seq) : next_seq_(first_seq) {}

    // Where to build the next message: at least `max_bytes` of writable room.
    char* reserve(std::size_t max_bytes);
    // The sequence number the message being built must carry.
    std::uint32_t seq() const { return next_seq_; }
    // Keeps the message just built at the reserved place.
    void commit(std::string what);

    const char* data() const { return bytes_.data(); }
    std::size_t size() const { return used_; }
    std::size_t count() const { return what_.size(); }
    std::uint32_t first_seq() const { return next_seq_ - static_cast<std::uint32_t>(what_.size()); }
    // "add set c3" for the message with `seq`, or "message <seq>".
    std::string describe(std::uint32_t seq) const;

private:
    std::vector<char> bytes_;
    std::size_t used_ = 0;
    std::uint32_t next_seq_;
    std::vector<std::string> what_;  // by seq - first_seq()
};

// Shared by the encoder files.
inline constexpr std::uint32_t nft_userdata_max = 256;      // kernel NFT_USERDATA_MAXLEN
inline constexpr std::size_t nft_message_room = 16 * 1024;  // room for one table/chain/set/rule message
// A concatenation field occupies whole 32-bit registers (spec §5.3).
inline std::size_t nft_register_bytes(std::size_t length) {
    return (length + 3) / 4 * 4;
}

// NEWRULE appending `rule` to `chain`; `set_names[i]` is the set with
// NFTA_SET_ID i + 1 in the same batch (nft_encode_rule.cpp).
void encode_rule(const NftChain& chain, std::size_t index, const NftRule& rule,
                 const std::vector<std::string>& set_names, NftMessageBuffer& out);

// NEWTABLE + DELTABLE + NEWTABLE and the whole new table: replaces
// `inet winipsec` whether or not it exists. Every message asks for an ack.
void encode_table_replacement(const NftRuleset& ruleset, NftMessageBuffer& out);

// DELSETELEM of every delta's removed elements, then NEWSETELEM with
// NLM_F_EXCL of the added ones, into the live table's sets (by name).
void encode_set_deltas(std::span<const NftSetDelta> deltas, NftMessageBuffer& out);

// NEWTABLE + DELTABLE: removes `inet winipsec`, absent or not.
void encode_table_removal(NftMessageBuffer& out);

// One transaction: NFNL_MSG_BATCH_BEGIN carrying `generation` as
// NFNL_BATCH_GENID (the kernel refuses the whole batch with ERESTART when the
// ruleset generation has moved on; 0 disables the check), the messages
// `encode` appends, NFNL_MSG_BATCH_END. Only the encoded messages ask for
// acks: BEGIN/END acks exist only on newer kernels.
void encode_transaction(std::uint32_t generation, const std::function<void(NftMessageBuffer&)>& encode,
                        NftMessageBuffer& out);

}  // namespace winipsec::kernel
