// Ruleset model -> nf_tables messages: tables, sets and their elements,
// chains, transaction framing (rules: nft_encode_rule.cpp). Every attribute
// mirrors what `nft` itself sends for the text render_nft_script() prints
// (checked with `nft --debug=netlink`/`--debug=mnl` on nft 1.0.6), so
// `nft list table inet winipsec` shows the same whichever way it was loaded.
#include "kernel/nft_encode.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "kernel/nft_objects.hpp"

namespace winipsec::kernel {
namespace {

// Elements per NEWSETELEM message are bounded by this many attribute bytes:
// the element list is one nested attribute, whose length is 16 bits.
constexpr std::size_t element_chunk_bytes = 32 * 1024;
// nft's byte-order tags in set user data (nftables' enum byteorder).
constexpr std::uint32_t byteorder_invalid = 0;  // what nft writes for concatenations
constexpr std::uint32_t byteorder_big_endian = 2;

using Bytes = std::vector<std::uint8_t>;

// ------------------------------------------------------------ sets

std::uint32_t key_type_id(const NftSet& set) {
    // nft's concatenated type: 6 bits per field, first field highest.
    std::uint32_t id = 0;
    for (const auto& part : set.key) id = (id << 6) | nft_datatype_id(value_type(part.field));
    return id;
}

std::size_t key_length(const NftSet& set) {
    if (set.key.size() == 1) return value_length(value_type(set.key.front().field));
    std::size_t total = 0;
    for (const auto& part : set.key) total += nft_register_bytes(value_length(value_type(part.field)));
    return total;
}

// The element key in register layout: fields padded to 4 bytes when
// concatenated, bare when alone.
Bytes key_bytes(std::span<const NftKeyPart> key, const NftSetElement& e) {
    Bytes out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const std::size_t length = value_length(value_type(key[i].field));
        const auto& value = e.key[i];
        out.insert(out.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(length));
        if (key.size() > 1) out.resize(out.size() + nft_register_bytes(length) - length, 0);
    }
    return out;
}

// "192.0.2.0/24 . 17 . 1434", as `nft list` prints an element.
std::string key_text(std::span<const NftKeyPart> key, const NftSetElement& e) {
    std::string text;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const auto type = value_type(key[i].field);
        if (i > 0) text += " . ";
        text += format_value(type, std::span(e.key[i]).first(value_length(type)),
                             key[i].masked() ? key[i].prefix_length : -1);
    }
    return text;
}

void set_userdata_comment(nftnl_set_elem* e, const std::string& comment) {
    if (comment.empty()) return;
    auto buffer = nftnl_owned(nftnl_udata_buf_alloc(nft_userdata_max));
    nftnl_udata_put_strz(buffer.get(), NFTNL_UDATA_SET_ELEM_COMMENT, comment.c_str());
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(buffer.get()),
                       nftnl_udata_buf_len(buffer.get()));
}

std::string table_name() {
    return std::string(nft_table_name);
}

// A set by name, and by `id` when it is created in the same batch (0: it
// exists already; the kernel finds it by name).
NftnlPtr<nftnl_set> set_reference(const std::string& name, std::uint32_t id) {
    auto s = nftnl_owned(nftnl_set_alloc());
    nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table_name().c_str());
    nftnl_set_set_str(s.get(), NFTNL_SET_NAME, name.c_str());
    nftnl_set_set_u32(s.get(), NFTNL_SET_FAMILY, NFPROTO_INET);
    if (id != 0) nftnl_set_set_u32(s.get(), NFTNL_SET_ID, id);
    return s;
}

void encode_set(const NftSet& set, std::uint32_t id, NftMessageBuffer& out) {
    auto s = set_reference(set.name, id);
    // No flags: an exact-match set, for which the kernel picks a hash back
    // end (O(1) lookups; interval sets' pipapo back end costs more per
    // packet the more elements it holds, spec §5.8).
    nftnl_set_set_u32(s.get(), NFTNL_SET_FLAGS, 0);
    nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_TYPE, key_type_id(set));
    nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_LEN, static_cast<std::uint32_t>(key_length(set)));
    // nft reads the key byte order from here to print elements.
    auto udata = nftnl_owned(nftnl_udata_buf_alloc(nft_userdata_max));
    nftnl_udata_put_u32(udata.get(), NFTNL_UDATA_SET_KEYBYTEORDER,
                        set.key.size() > 1 ? byteorder_invalid : byteorder_big_endian);
    nftnl_set_set_data(s.get(), NFTNL_SET_USERDATA, nftnl_udata_buf_data(udata.get()),
                       nftnl_udata_buf_len(udata.get()));
    // A counter template: the kernel gives every element its own copy. One
    // expression goes in NFTA_SET_EXPR as nft sends it; the EXPRESSIONS list
    // (nftnl_set_add_expr) would also need the NFT_SET_EXPR flag.
    if (set.counter) nftnl_set_set_data(s.get(), NFTNL_SET_EXPR, nftnl_owned(nftnl_expr_alloc("counter")).release(), 0);

    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(nft_message_room), NFT_MSG_NEWSET, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_ACK, out.seq());
    nftnl_set_nlmsg_build_payload(nlh, s.get());
    out.commit("add set " + set.name);
}

// How a list of elements goes to the kernel.
struct ElementMessage {
    std::uint16_t type;   // NFT_MSG_NEWSETELEM or NFT_MSG_DELSETELEM
    std::uint16_t flags;  // besides NLM_F_ACK
    const char* verb;     // for error messages: "add", "delete"
    const char* preposition;
};

// Into a set being created: nothing to collide with.
constexpr ElementMessage fill_new_set{NFT_MSG_NEWSETELEM, NLM_F_CREATE, "add", "to"};
// Into a live set: NLM_F_EXCL makes a key that is already there an error
// (EEXIST). Without it the kernel keeps the old element and reports success,
// so a delta computed against a wrong idea of the running table would leave
// a stale comment behind unnoticed.
constexpr ElementMessage add_to_live_set{NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL, "add", "to"};
// The kernel finds the element by key alone and fails with ENOENT when it is
// not there; comments are not sent.
constexpr ElementMessage delete_from_live_set{NFT_MSG_DELSETELEM, 0, "delete", "from"};

// One message per element_chunk_bytes of elements. Counters are not encoded
// per element: the kernel gives every new element a copy of the set's
// counter template (NFTA_SET_EXPR), whichever batch adds it.
void encode_element_list(const std::string& set_name, std::span<const NftKeyPart> set_key, std::uint32_t set_id,
                         std::span<const NftSetElement> elements, const ElementMessage& kind, NftMessageBuffer& out) {
    const bool comments = kind.type == NFT_MSG_NEWSETELEM;
    std::size_t next = 0;
    while (next < elements.size()) {
        auto chunk = set_reference(set_name, set_id);
        std::size_t bytes = 0;
        const std::size_t first = next;
        for (; next < elements.size() && bytes < element_chunk_bytes; ++next) {
            const Bytes key = key_bytes(set_key, elements[next]);
            auto e = nftnl_owned(nftnl_set_elem_alloc());
            nftnl_set_elem_set(e.get(), NFTNL_SET_ELEM_KEY, key.data(), static_cast<std::uint32_t>(key.size()));
            if (comments) set_userdata_comment(e.get(), elements[next].comment);
            nftnl_set_elem_add(chunk.get(), e.release());
            bytes += 64 + key.size() + elements[next].comment.size();
        }
        auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(element_chunk_bytes + nft_message_room), kind.type, NFPROTO_INET,
                                          kind.flags | NLM_F_ACK, out.seq());
        nftnl_set_elems_nlmsg_build_payload(nlh, chunk.get());
        // A refusal names only the message; a one-element message can say
        // which element it was.
        std::string what =
            fmt::format("{} elements {}..{} {} set {}", kind.verb, first, next - 1, kind.preposition, set_name);
        if (next - first == 1) what += fmt::format(" ({})", key_text(set_key, elements[first]));
        out.commit(std::move(what));
    }
}

// ------------------------------------------------------------ chains, rules

std::uint32_t hook_number(NftHook hook) {
    switch (hook) {
        case NftHook::Prerouting: return NF_INET_PRE_ROUTING;
        case NftHook::Input: return NF_INET_LOCAL_IN;
        case NftHook::Output: return NF_INET_LOCAL_OUT;
    }
    return NF_INET_LOCAL_IN;
}

void encode_chain(const NftChain& chain, NftMessageBuffer& out) {
    auto c = nftnl_owned(nftnl_chain_alloc());
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TABLE, table_name().c_str());
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_NAME, chain.name.c_str());
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_FAMILY, NFPROTO_INET);
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TYPE, "filter");
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_HOOKNUM, hook_number(chain.hook));
    nftnl_chain_set_s32(c.get(), NFTNL_CHAIN_PRIO, chain.priority);
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_POLICY, NF_ACCEPT);
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(nft_message_room), NFT_MSG_NEWCHAIN, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_ACK, out.seq());
    nftnl_chain_nlmsg_build_payload(nlh, c.get());
    out.commit("add chain " + chain.name);
}

void encode_table(std::uint16_t type, std::uint16_t flags, NftMessageBuffer& out, std::string what) {
    auto t = nftnl_owned(nftnl_table_alloc());
    nftnl_table_set_u32(t.get(), NFTNL_TABLE_FAMILY, NFPROTO_INET);
    nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, table_name().c_str());
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(nft_message_room), type, NFPROTO_INET, flags | NLM_F_ACK, out.seq());
    nftnl_table_nlmsg_build_payload(nlh, t.get());
    out.commit(std::move(what));
}

}  // namespace

char* NftMessageBuffer::reserve(std::size_t max_bytes) {
    if (bytes_.size() < used_ + max_bytes) bytes_.resize(std::max(bytes_.size() * 2, used_ + max_bytes));
    std::memset(bytes_.data() + used_, 0, std::min(max_bytes, bytes_.size() - used_));
    return bytes_.data() + used_;
}

void NftMessageBuffer::commit(std::string what) {
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes_.data() + used_);
    used_ += NLMSG_ALIGN(nlh->nlmsg_len);
    what_.push_back(std::move(what));
    ++next_seq_;
}

std::string NftMessageBuffer::describe(std::uint32_t seq) const {
    const std::uint32_t index = seq - first_seq();
    if (index < what_.size()) return what_[index];
    return fmt::format("message {}", seq);
}

void encode_table_removal(NftMessageBuffer& out) {
    // Declaring the table first makes the delete succeed when it is absent;
    // both happen in the same transaction, so nobody sees the empty table.
    encode_table(NFT_MSG_NEWTABLE, NLM_F_CREATE, out, "declare table inet winipsec");
    encode_table(NFT_MSG_DELTABLE, 0, out, "delete table inet winipsec");
}

void encode_table_replacement(const NftRuleset& ruleset, NftMessageBuffer& out) {
    encode_table_removal(out);
    encode_table(NFT_MSG_NEWTABLE, NLM_F_CREATE, out, "add table inet winipsec");
    std::vector<std::string> set_names;
    for (const auto& set : ruleset.sets) set_names.push_back(set.name);
    for (std::size_t i = 0; i < ruleset.sets.size(); ++i) {
        const auto id = static_cast<std::uint32_t>(i + 1);
        const NftSet& set = ruleset.sets[i];
        encode_set(set, id, out);
        encode_element_list(set.name, set.key, id, set.elements, fill_new_set, out);
    }
    for (const auto& chain : ruleset.chains) {
        encode_chain(chain, out);
        for (std::size_t i = 0; i < chain.rules.size(); ++i) encode_rule(chain, i, chain.rules[i], set_names, out);
    }
}

void encode_set_deltas(std::span<const NftSetDelta> deltas, NftMessageBuffer& out) {
    // Every delete before any add: an element whose comment changed is
    // deleted and added under the same key in this one transaction.
    for (const auto& d : deltas) encode_element_list(d.set, d.key, 0, d.removed, delete_from_live_set, out);
    for (const auto& d : deltas) encode_element_list(d.set, d.key, 0, d.added, add_to_live_set, out);
}

void encode_transaction(std::uint32_t generation, const std::function<void(NftMessageBuffer&)>& encode,
                        NftMessageBuffer& out) {
    auto* begin = nftnl_batch_begin(out.reserve(nft_message_room), out.seq());
    if (generation != 0) mnl_attr_put_u32(begin, NFNL_BATCH_GENID, htonl(generation));
    out.commit("begin transaction");
    encode(out);
    nftnl_batch_end(out.reserve(nft_message_room), out.seq());
    out.commit("end transaction");
}

}  // namespace winipsec::kernel
