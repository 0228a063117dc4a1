// Ruleset model -> nf_tables messages. Every expression sequence mirrors what
// `nft` itself generates for the text render_nft_script() prints (checked with
// `nft --debug=netlink` on nft 1.0.6), so `nft list table inet winipsec` shows
// the same rules whichever way the table was loaded.
#include "kernel/nft_encode.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "kernel/nft_objects.hpp"

namespace winipsec::kernel {
namespace {

// Kernel limit for rule/element user data (NFT_USERDATA_MAXLEN).
constexpr std::uint32_t userdata_max = 256;
// Room for one ordinary message (table, chain, set, rule).
constexpr std::size_t message_room = 16 * 1024;
// Elements per NEWSETELEM message are bounded by this many attribute bytes:
// the element list is one nested attribute, whose length is 16 bits.
constexpr std::size_t element_chunk_bytes = 32 * 1024;
// nft's byte-order tags in set user data (nftables' enum byteorder).
constexpr std::uint32_t byteorder_invalid = 0;  // what nft writes for concatenations
constexpr std::uint32_t byteorder_big_endian = 2;

using Bytes = std::vector<std::uint8_t>;

std::size_t register_bytes(std::size_t length) { return (length + 3) / 4 * 4; }

// ------------------------------------------------------------ expressions

class RuleBuilder {
public:
    explicit RuleBuilder(nftnl_rule* rule) : rule_(rule) {}

    void meta(std::uint32_t key, std::uint32_t dreg) {
        auto e = expr("meta");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_META_KEY, key);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_META_DREG, dreg);
        add(std::move(e));
    }
    void payload(std::uint32_t base, std::uint32_t offset, std::uint32_t length, std::uint32_t dreg) {
        auto e = expr("payload");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_PAYLOAD_BASE, base);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_PAYLOAD_OFFSET, offset);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_PAYLOAD_LEN, length);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_PAYLOAD_DREG, dreg);
        add(std::move(e));
    }
    void exthdr_ipv6(std::uint8_t type, std::uint32_t offset, std::uint32_t length, std::uint32_t dreg) {
        auto e = expr("exthdr");
        nftnl_expr_set_u8(e.get(), NFTNL_EXPR_EXTHDR_TYPE, type);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_EXTHDR_OFFSET, offset);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_EXTHDR_LEN, length);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_EXTHDR_DREG, dreg);
        add(std::move(e));
    }
    void ct(std::uint32_t key, std::uint32_t dreg) {
        auto e = expr("ct");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_CT_KEY, key);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_CT_DREG, dreg);
        add(std::move(e));
    }
    void bitwise(std::uint32_t reg, const Bytes& mask) {
        const Bytes zero(mask.size(), 0);
        auto e = expr("bitwise");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_BITWISE_SREG, reg);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_BITWISE_DREG, reg);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_BITWISE_LEN, static_cast<std::uint32_t>(mask.size()));
        nftnl_expr_set_data(e.get(), NFTNL_EXPR_BITWISE_MASK, mask.data(), static_cast<std::uint32_t>(mask.size()));
        nftnl_expr_set_data(e.get(), NFTNL_EXPR_BITWISE_XOR, zero.data(), static_cast<std::uint32_t>(zero.size()));
        add(std::move(e));
    }
    void cmp(std::uint32_t sreg, std::uint32_t op, const Bytes& value) {
        auto e = expr("cmp");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_CMP_SREG, sreg);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_CMP_OP, op);
        nftnl_expr_set_data(e.get(), NFTNL_EXPR_CMP_DATA, value.data(), static_cast<std::uint32_t>(value.size()));
        add(std::move(e));
    }
    void lookup(std::uint32_t sreg, const std::string& set, std::uint32_t set_id) {
        auto e = expr("lookup");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_LOOKUP_SREG, sreg);
        nftnl_expr_set_str(e.get(), NFTNL_EXPR_LOOKUP_SET, set.c_str());
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_LOOKUP_SET_ID, set_id);
        add(std::move(e));
    }
    void counter() { add(expr("counter")); }
    void verdict(std::uint32_t code) {
        auto e = expr("immediate");
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
        nftnl_expr_set_u32(e.get(), NFTNL_EXPR_IMM_VERDICT, code);
        add(std::move(e));
    }

private:
    static NftnlPtr<nftnl_expr> expr(const char* name) { return nftnl_owned(nftnl_expr_alloc(name)); }
    void add(NftnlPtr<nftnl_expr> e) { nftnl_rule_add_expr(rule_, e.release()); }  // the rule owns it now

    nftnl_rule* rule_;
};

Bytes byte(std::uint8_t value) { return {value}; }
Bytes be16(std::uint16_t value) { return {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)}; }

// Loads `field` of the packet into `reg`; returns the field's length.
std::size_t load_field(RuleBuilder& b, NftKeyField field, std::uint32_t reg) {
    switch (field) {
        case NftKeyField::Ip4Source: b.payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, reg); return 4;
        case NftKeyField::Ip4Destination: b.payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, reg); return 4;
        case NftKeyField::Ip6Source: b.payload(NFT_PAYLOAD_NETWORK_HEADER, 8, 16, reg); return 16;
        case NftKeyField::Ip6Destination: b.payload(NFT_PAYLOAD_NETWORK_HEADER, 24, 16, reg); return 16;
        case NftKeyField::Protocol: b.meta(NFT_META_L4PROTO, reg); return 1;
        case NftKeyField::SourcePort: b.payload(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, reg); return 2;
        case NftKeyField::DestinationPort: b.payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, reg); return 2;
    }
    return 0;
}

struct MatchEncoder {
    RuleBuilder& b;
    const std::vector<std::string>& set_names;  // index = set id - 1

    void operator()(const NftMatchFamily& m) {
        b.meta(NFT_META_NFPROTO, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, byte(m.family == IpFamily::V4 ? NFPROTO_IPV4 : NFPROTO_IPV6));
    }
    void operator()(const NftMatchProtocol& m) {
        b.meta(NFT_META_L4PROTO, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, byte(m.protocol));
    }
    void operator()(const NftMatchPort& m) {
        b.payload(NFT_PAYLOAD_TRANSPORT_HEADER, m.source ? 0 : 2, 2, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, be16(m.port));
    }
    void operator()(const NftMatchPacketType& m) {
        b.meta(NFT_META_PKTTYPE, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, byte(m.packet_type));
    }
    void operator()(const NftMatchDestination& m) {
        const bool v4 = m.prefix.family() == IpFamily::V4;
        const std::uint32_t offset = v4 ? 16 : 24;
        const std::size_t width = v4 ? 4 : 16;
        const auto* address = m.prefix.address.bytes.data();
        if (m.prefix.length % 8 == 0) {
            // Whole bytes: load only the prefix bytes, as nft does.
            const auto n = static_cast<std::size_t>(m.prefix.length / 8);
            b.payload(NFT_PAYLOAD_NETWORK_HEADER, offset, static_cast<std::uint32_t>(n), NFT_REG_1);
            b.cmp(NFT_REG_1, NFT_CMP_EQ, Bytes(address, address + n));
            return;
        }
        Bytes mask(width, 0);
        for (int i = 0; i < m.prefix.length; ++i)
            mask[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
        b.payload(NFT_PAYLOAD_NETWORK_HEADER, offset, static_cast<std::uint32_t>(width), NFT_REG_1);
        b.bitwise(NFT_REG_1, mask);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, Bytes(address, address + width));
    }
    void operator()(const NftMatchNonFirstFragment& m) {
        if (m.family == IpFamily::V4) {
            b.payload(NFT_PAYLOAD_NETWORK_HEADER, 6, 2, NFT_REG_1);  // flags + fragment offset
            b.bitwise(NFT_REG_1, {0x1f, 0xff});                       // the 13 offset bits
        } else {
            b.exthdr_ipv6(44, 2, 2, NFT_REG_1);  // fragment header, offset field
            b.bitwise(NFT_REG_1, {0xff, 0xf8});
        }
        b.cmp(NFT_REG_1, NFT_CMP_NEQ, {0, 0});
    }
    void operator()(const NftMatchIpsec&) {
        b.meta(NFT_META_SECPATH, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, byte(1));
    }
    void operator()(const NftMatchUntracked&) {
        // ct state is a host-order 32-bit bit mask.
        const std::uint32_t bit = NF_CT_STATE_UNTRACKED_BIT;
        Bytes mask(4);
        std::memcpy(mask.data(), &bit, 4);
        b.ct(NFT_CT_STATE, NFT_REG_1);
        b.bitwise(NFT_REG_1, mask);
        b.cmp(NFT_REG_1, NFT_CMP_NEQ, Bytes(4, 0));
    }
    void operator()(const NftMatchSet& m) {
        // A concatenation sits in consecutive 32-bit registers, each field
        // rounded up to whole registers (spec §5.3).
        std::size_t offset = 0;
        for (const auto field : m.key) {
            const std::size_t length = load_field(b, field, static_cast<std::uint32_t>(NFT_REG32_00 + offset / 4));
            offset += register_bytes(length);
        }
        const auto it = std::find(set_names.begin(), set_names.end(), m.set);
        const auto id = static_cast<std::uint32_t>(it - set_names.begin()) + 1;
        b.lookup(NFT_REG32_00, m.set, id);
    }
};

// ------------------------------------------------------------ sets

std::uint32_t key_type_id(const NftSet& set) {
    // nft's concatenated type: 6 bits per field, first field highest.
    std::uint32_t id = 0;
    for (const auto field : set.key) id = (id << 6) | nft_datatype_id(value_type(field));
    return id;
}

std::size_t key_length(const NftSet& set) {
    if (set.key.size() == 1) return value_length(value_type(set.key.front()));
    std::size_t total = 0;
    for (const auto field : set.key) total += register_bytes(value_length(value_type(field)));
    return total;
}

// The element key in register layout: fields padded to 4 bytes when
// concatenated, bare when alone.
Bytes key_bytes(const NftSet& set, const NftSetElement& e, bool last) {
    Bytes out;
    for (std::size_t i = 0; i < set.key.size(); ++i) {
        const std::size_t length = value_length(value_type(set.key[i]));
        const auto& value = last ? e.key[i].last : e.key[i].first;
        out.insert(out.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(length));
        if (set.key.size() > 1) out.resize(out.size() + register_bytes(length) - length, 0);
    }
    return out;
}

void set_userdata_comment(nftnl_set_elem* e, const std::string& comment) {
    if (comment.empty()) return;
    auto buffer = nftnl_owned(nftnl_udata_buf_alloc(userdata_max));
    nftnl_udata_put_strz(buffer.get(), NFTNL_UDATA_SET_ELEM_COMMENT, comment.c_str());
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(buffer.get()),
                       nftnl_udata_buf_len(buffer.get()));
}

std::string table_name() { return std::string(nft_table_name); }

NftnlPtr<nftnl_set> set_reference(const NftSet& set, std::uint32_t id) {
    auto s = nftnl_owned(nftnl_set_alloc());
    nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table_name().c_str());
    nftnl_set_set_str(s.get(), NFTNL_SET_NAME, set.name.c_str());
    nftnl_set_set_u32(s.get(), NFTNL_SET_FAMILY, NFPROTO_INET);
    nftnl_set_set_u32(s.get(), NFTNL_SET_ID, id);
    return s;
}

void encode_set(const NftSet& set, std::uint32_t id, NftMessageBuffer& out) {
    auto s = set_reference(set, id);
    std::uint32_t flags = 0;
    if (set.interval) flags |= NFT_SET_INTERVAL;
    // Several ranged fields need the pipapo back end, chosen by CONCAT (Linux 5.6+).
    if (set.interval && set.key.size() > 1) flags |= NFT_SET_CONCAT;
    nftnl_set_set_u32(s.get(), NFTNL_SET_FLAGS, flags);
    nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_TYPE, key_type_id(set));
    nftnl_set_set_u32(s.get(), NFTNL_SET_KEY_LEN, static_cast<std::uint32_t>(key_length(set)));
    if (flags & NFT_SET_CONCAT) {
        // Per-field lengths, only with CONCAT (the kernel refuses a field
        // count above one without it); their register-rounded sum must equal
        // the key length exactly.
        std::vector<std::uint8_t> lengths;
        for (const auto field : set.key) lengths.push_back(static_cast<std::uint8_t>(value_length(value_type(field))));
        nftnl_set_set_data(s.get(), NFTNL_SET_DESC_CONCAT, lengths.data(), static_cast<std::uint32_t>(lengths.size()));
    }
    // nft reads the key byte order from here to print elements.
    auto udata = nftnl_owned(nftnl_udata_buf_alloc(userdata_max));
    nftnl_udata_put_u32(udata.get(), NFTNL_UDATA_SET_KEYBYTEORDER,
                        set.key.size() > 1 ? byteorder_invalid : byteorder_big_endian);
    nftnl_set_set_data(s.get(), NFTNL_SET_USERDATA, nftnl_udata_buf_data(udata.get()), nftnl_udata_buf_len(udata.get()));
    // A counter template: the kernel gives every element its own copy. One
    // expression goes in NFTA_SET_EXPR as nft sends it; the EXPRESSIONS list
    // (nftnl_set_add_expr) would also need the NFT_SET_EXPR flag.
    if (set.counter)
        nftnl_set_set_data(s.get(), NFTNL_SET_EXPR, nftnl_owned(nftnl_expr_alloc("counter")).release(), 0);

    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(message_room), NFT_MSG_NEWSET, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_ACK, out.seq());
    nftnl_set_nlmsg_build_payload(nlh, s.get());
    out.commit("add set " + set.name);
}

// One kernel element (key, optional key end, flags, comment).
struct WireElement {
    Bytes key;
    Bytes key_end;  // pipapo ranges only
    std::uint32_t flags = 0;
    const std::string* comment = nullptr;
};

Bytes plus_one(Bytes value) {
    for (auto it = value.rbegin(); it != value.rend(); ++it)
        if (++*it != 0) break;
    return value;
}

std::vector<WireElement> wire_elements(const NftSet& set) {
    std::vector<WireElement> out;
    if (!set.interval || set.key.size() > 1) {
        // Hash sets take the key; pipapo takes first and last of every field.
        for (const auto& e : set.elements) {
            WireElement w{key_bytes(set, e, false), {}, 0, &e.comment};
            if (set.interval) w.key_end = key_bytes(set, e, true);
            out.push_back(std::move(w));
        }
        return out;
    }
    // A single ranged field uses the rbtree back end, which stores interval
    // boundaries: a start element at `first` and an end element
    // (NFT_SET_ELEM_INTERVAL_END) at last + 1, none when the range runs to
    // the maximum. As nft does, an end element at zero opens the list and
    // adjacent ranges keep both boundaries (end and start share a key): the
    // kernel's overlap check refuses two starts in a row with EEXIST.
    std::vector<const NftSetElement*> sorted;
    for (const auto& e : set.elements) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->key.front().first < b->key.front().first; });
    const auto is_zero = [](const Bytes& b) { return std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; }); };
    for (const auto* e : sorted) {
        const Bytes first = key_bytes(set, *e, false);
        if (out.empty() && !is_zero(first)) out.push_back({Bytes(first.size(), 0), {}, NFT_SET_ELEM_INTERVAL_END, nullptr});
        out.push_back({first, {}, 0, &e->comment});
        const Bytes end = plus_one(key_bytes(set, *e, true));
        if (!is_zero(end)) out.push_back({end, {}, NFT_SET_ELEM_INTERVAL_END, nullptr});  // zero: wrapped past the maximum
    }
    return out;
}

void encode_elements(const NftSet& set, std::uint32_t id, NftMessageBuffer& out) {
    const auto elements = wire_elements(set);
    std::size_t next = 0;
    while (next < elements.size()) {
        auto chunk = set_reference(set, id);
        std::size_t bytes = 0;
        const std::size_t first = next;
        for (; next < elements.size() && bytes < element_chunk_bytes; ++next) {
            const WireElement& w = elements[next];
            auto e = nftnl_owned(nftnl_set_elem_alloc());
            nftnl_set_elem_set(e.get(), NFTNL_SET_ELEM_KEY, w.key.data(), static_cast<std::uint32_t>(w.key.size()));
            if (!w.key_end.empty())
                nftnl_set_elem_set(e.get(), NFTNL_SET_ELEM_KEY_END, w.key_end.data(),
                                   static_cast<std::uint32_t>(w.key_end.size()));
            if (w.flags) nftnl_set_elem_set_u32(e.get(), NFTNL_SET_ELEM_FLAGS, w.flags);
            if (w.comment) set_userdata_comment(e.get(), *w.comment);
            nftnl_set_elem_add(chunk.get(), e.release());
            bytes += 64 + 2 * w.key.size() + (w.comment ? w.comment->size() : 0);
        }
        auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(element_chunk_bytes + message_room), NFT_MSG_NEWSETELEM,
                                          NFPROTO_INET, NLM_F_CREATE | NLM_F_ACK, out.seq());
        nftnl_set_elems_nlmsg_build_payload(nlh, chunk.get());
        out.commit(fmt::format("add elements {}..{} to set {}", first, next - 1, set.name));
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
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(message_room), NFT_MSG_NEWCHAIN, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_ACK, out.seq());
    nftnl_chain_nlmsg_build_payload(nlh, c.get());
    out.commit("add chain " + chain.name);
}

void encode_rule(const NftChain& chain, std::size_t index, const NftRule& rule,
                 const std::vector<std::string>& set_names, NftMessageBuffer& out) {
    auto r = nftnl_owned(nftnl_rule_alloc());
    nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, table_name().c_str());
    nftnl_rule_set_str(r.get(), NFTNL_RULE_CHAIN, chain.name.c_str());
    nftnl_rule_set_u32(r.get(), NFTNL_RULE_FAMILY, NFPROTO_INET);
    RuleBuilder b(r.get());
    MatchEncoder encoder{b, set_names};
    for (const auto& m : rule.matches) std::visit(encoder, m);
    if (rule.counter) b.counter();
    if (rule.verdict == NftVerdict::Accept) b.verdict(NF_ACCEPT);
    if (rule.verdict == NftVerdict::Drop) b.verdict(NF_DROP);
    if (!rule.comment.empty()) {
        auto udata = nftnl_owned(nftnl_udata_buf_alloc(userdata_max));
        nftnl_udata_put_strz(udata.get(), NFTNL_UDATA_RULE_COMMENT, rule.comment.c_str());
        nftnl_rule_set_data(r.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(udata.get()),
                            nftnl_udata_buf_len(udata.get()));
    }
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(message_room), NFT_MSG_NEWRULE, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, out.seq());
    nftnl_rule_nlmsg_build_payload(nlh, r.get());
    out.commit(fmt::format("add rule {} #{} ({})", chain.name, index, rule.comment));
}

void encode_table(std::uint16_t type, std::uint16_t flags, NftMessageBuffer& out, std::string what) {
    auto t = nftnl_owned(nftnl_table_alloc());
    nftnl_table_set_u32(t.get(), NFTNL_TABLE_FAMILY, NFPROTO_INET);
    nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, table_name().c_str());
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(message_room), type, NFPROTO_INET, flags | NLM_F_ACK, out.seq());
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
        encode_set(ruleset.sets[i], id, out);
        encode_elements(ruleset.sets[i], id, out);
    }
    for (const auto& chain : ruleset.chains) {
        encode_chain(chain, out);
        for (std::size_t i = 0; i < chain.rules.size(); ++i) encode_rule(chain, i, chain.rules[i], set_names, out);
    }
}

void encode_transaction(std::uint32_t generation, const std::function<void(NftMessageBuffer&)>& encode,
                        NftMessageBuffer& out) {
    auto* begin = nftnl_batch_begin(out.reserve(message_room), out.seq());
    if (generation != 0) mnl_attr_put_u32(begin, NFNL_BATCH_GENID, htonl(generation));
    out.commit("begin transaction");
    encode(out);
    nftnl_batch_end(out.reserve(message_room), out.seq());
    out.commit("end transaction");
}

}  // namespace winipsec::kernel
