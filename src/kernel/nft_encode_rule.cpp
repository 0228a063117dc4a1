// Rule encoding: each match of the model as the expression sequence nft
// generates for the text nft_script.cpp prints for it (nft --debug=netlink).
#include <libnftnl/common.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernel/nft_encode.hpp"
#include "kernel/nft_objects.hpp"

namespace winipsec::kernel {
namespace {

using Bytes = std::vector<std::uint8_t>;

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

Bytes byte(std::uint8_t value) {
    return {value};
}
Bytes be16(std::uint16_t value) {
    return {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

// The leading `prefix_length` bits of `length` bytes set.
Bytes prefix_mask(int prefix_length, std::size_t length) {
    Bytes mask(length, 0);
    for (int i = 0; i < prefix_length; ++i)
        mask[static_cast<std::size_t>(i / 8)] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
    return mask;
}

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
        b.cmp(NFT_REG_1, m.equal ? NFT_CMP_EQ : NFT_CMP_NEQ, byte(m.protocol));
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
        b.payload(NFT_PAYLOAD_NETWORK_HEADER, offset, static_cast<std::uint32_t>(width), NFT_REG_1);
        b.bitwise(NFT_REG_1, prefix_mask(m.prefix.length, width));
        b.cmp(NFT_REG_1, NFT_CMP_EQ, Bytes(address, address + width));
    }
    void operator()(const NftMatchNonFirstFragment& m) {
        if (m.family == IpFamily::V4) {
            b.payload(NFT_PAYLOAD_NETWORK_HEADER, 6, 2, NFT_REG_1);  // flags + fragment offset
            b.bitwise(NFT_REG_1, {0x1f, 0xff});                      // the 13 offset bits
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
    void operator()(const NftMatchInputInterface& m) {
        // Interface names compare as IFNAMSIZ bytes, NUL-padded, as nft does.
        Bytes name(IFNAMSIZ, 0);
        std::copy_n(m.name.begin(), std::min(m.name.size(), name.size() - 1), name.begin());
        b.meta(NFT_META_IIFNAME, NFT_REG_1);
        b.cmp(NFT_REG_1, NFT_CMP_EQ, name);
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
        for (const auto& part : m.key) {
            const auto reg = static_cast<std::uint32_t>(NFT_REG32_00 + offset / 4);
            const std::size_t length = load_field(b, part.field, reg);
            // A subnet field: AND the whole address with the class's mask in
            // its own registers, as nft compiles `ip saddr & 255.255.255.0`.
            if (part.masked()) b.bitwise(reg, prefix_mask(part.prefix_length, length));
            offset += nft_register_bytes(length);
        }
        const auto it = std::find(set_names.begin(), set_names.end(), m.set);
        const auto id = static_cast<std::uint32_t>(it - set_names.begin()) + 1;
        b.lookup(NFT_REG32_00, m.set, id);
    }
};

}  // namespace

void encode_rule(const NftChain& chain, std::size_t index, const NftRule& rule,
                 const std::vector<std::string>& set_names, NftMessageBuffer& out) {
    auto r = nftnl_owned(nftnl_rule_alloc());
    nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, std::string(nft_table_name).c_str());
    nftnl_rule_set_str(r.get(), NFTNL_RULE_CHAIN, chain.name.c_str());
    nftnl_rule_set_u32(r.get(), NFTNL_RULE_FAMILY, NFPROTO_INET);
    RuleBuilder b(r.get());
    MatchEncoder encoder{b, set_names};
    for (const auto& m : rule.matches) std::visit(encoder, m);
    if (rule.counter) b.counter();
    if (rule.verdict == NftVerdict::Accept) b.verdict(NF_ACCEPT);
    if (rule.verdict == NftVerdict::Drop) b.verdict(NF_DROP);
    if (!rule.comment.empty()) {
        auto udata = nftnl_owned(nftnl_udata_buf_alloc(nft_userdata_max));
        nftnl_udata_put_strz(udata.get(), NFTNL_UDATA_RULE_COMMENT, rule.comment.c_str());
        nftnl_rule_set_data(r.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(udata.get()),
                            nftnl_udata_buf_len(udata.get()));
    }
    auto* nlh = nftnl_nlmsg_build_hdr(out.reserve(nft_message_room), NFT_MSG_NEWRULE, NFPROTO_INET,
                                      NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, out.seq());
    nftnl_rule_nlmsg_build_payload(nlh, r.get());
    out.commit(fmt::format("add rule {} #{} ({})", chain.name, index, rule.comment));
}

}  // namespace winipsec::kernel
