// read_nft_state: GETTABLE, then dumps of chains, rules, sets and each set's
// elements, restricted to `inet winipsec` by the table attribute of every
// request (the kernel filters dumps by table).
#include "kernel/nft_readback.hpp"

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "kernel/netlink_socket.hpp"
#include "kernel/nft_objects.hpp"

namespace winipsec::kernel {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Next = NetlinkSocket::Next;

constexpr std::size_t request_room = 1024;

// ------------------------------------------------------------ user data

// The string stored under `type` in an nftnl user-data blob (comments).
std::string udata_string(const void* data, std::uint32_t length, std::uint8_t type) {
    struct Lookup {
        std::uint8_t type;
        std::string value;
    } lookup{type, {}};
    if (!data || length == 0) return {};
    nftnl_udata_parse(
        data, length,
        [](const nftnl_udata* attr, void* context) -> int {
            auto* l = static_cast<Lookup*>(context);
            if (nftnl_udata_type(attr) == l->type && nftnl_udata_len(attr) > 0) {
                const char* text = static_cast<const char*>(nftnl_udata_get(attr));
                l->value.assign(text, strnlen(text, nftnl_udata_len(attr)));
            }
            return 0;
        },
        &lookup);
    return lookup.value;
}

std::optional<NftCounter> counter_of(nftnl_expr* e) {
    const char* name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
    if (!name || std::strcmp(name, "counter") != 0) return std::nullopt;
    return NftCounter{nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS), nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES)};
}

// ------------------------------------------------------------ requests

std::string table_name() {
    return std::string(nft_table_name);
}

// The kernel filters rule and set dumps by the table named in the request,
// but dumps the chains of every table of the family: check each reply.
bool ours(const char* table) {
    return table && nft_table_name == table;
}

// Sends one request built by `fill` and feeds the replies to `on_message`.
template <typename Fill>
std::expected<NetlinkAck, Error> request(NetlinkSocket& socket, std::uint16_t type, std::uint16_t flags, Fill fill,
                                         const NetlinkSocket::MessageCallback& on_message) {
    alignas(nlmsghdr) char buffer[request_room] = {};
    const std::uint32_t seq = socket.next_seq();
    auto* nlh = nftnl_nlmsg_build_hdr(buffer, type, NFPROTO_INET, flags, seq);
    fill(nlh);
    if (auto sent = socket.send(nlh, nlh->nlmsg_len); !sent) return std::unexpected(sent.error());
    return socket.receive_status(seq, on_message);
}

std::expected<void, Error> dump(NetlinkSocket& socket, std::uint16_t type, auto fill,
                                const NetlinkSocket::MessageCallback& on_message, std::string_view what) {
    auto status = request(socket, type, NLM_F_DUMP, fill, on_message);
    if (!status) return std::unexpected(status.error());
    if (status->code != 0)
        return std::unexpected(
            Error::system(fmt::format("reading {}: {}", what, describe_netlink_error(status->code, status->message))));
    return {};
}

// ------------------------------------------------------------ rules

// Where a rule masks its lookup key: byte offset in the key -> leading bits
// kept. Elements of a masked field are network addresses; this is what says
// which prefix length they stand for ("192.0.2.0" -> "192.0.2.0/24").
using KeyMasks = std::map<std::size_t, int>;

// A register as a 32-bit slot index: NFT_REG_1..4 are 16 bytes wide and
// overlay the NFT_REG32_* slots (nft itself writes NFT_REG_1, winipsec
// NFT_REG32_00; both name the same first slot).
std::uint32_t register_slot(std::uint32_t reg) {
    return reg <= NFT_REG_4 ? reg * 4 : reg - NFT_REG32_00 + 4;
}

// The number of leading one bits when `mask` is a prefix mask, else -1.
int prefix_length_of(const Bytes& mask) {
    int length = 0;
    bool ended = false;
    for (const auto byte : mask)
        for (int bit = 7; bit >= 0; --bit) {
            const bool one = (byte >> bit) & 1;
            if (one && ended) return -1;
            if (one)
                ++length;
            else
                ended = true;
        }
    return length;
}

NftLiveRule live_rule(nftnl_rule* r, KeyMasks& masks) {
    NftLiveRule rule;
    rule.handle = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
    std::uint32_t length = 0;
    const void* udata = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &length);
    rule.comment = udata_string(udata, length, NFTNL_UDATA_RULE_COMMENT);
    std::map<std::uint32_t, int> masked_slots;  // register slot -> prefix length
    auto iter = nftnl_owned(nftnl_expr_iter_create(r));
    while (nftnl_expr* e = nftnl_expr_iter_next(iter.get())) {
        const char* name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
        if (!name) continue;
        if (std::strcmp(name, "payload") == 0 && nftnl_expr_is_set(e, NFTNL_EXPR_PAYLOAD_DREG)) {
            masked_slots.erase(register_slot(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_DREG)));
        } else if (std::strcmp(name, "meta") == 0 && nftnl_expr_is_set(e, NFTNL_EXPR_META_DREG)) {
            masked_slots.erase(register_slot(nftnl_expr_get_u32(e, NFTNL_EXPR_META_DREG)));
        } else if (std::strcmp(name, "bitwise") == 0 && nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_MASK)) {
            std::uint32_t mask_length = 0;
            const auto* mask =
                static_cast<const std::uint8_t*>(nftnl_expr_get(e, NFTNL_EXPR_BITWISE_MASK, &mask_length));
            const int prefix = mask ? prefix_length_of(Bytes(mask, mask + mask_length)) : -1;
            const auto slot = register_slot(nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_DREG));
            if (prefix >= 0)
                masked_slots[slot] = prefix;
            else
                masked_slots.erase(slot);
        } else if (std::strcmp(name, "lookup") == 0) {
            if (const char* set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET)) rule.set = set;
            const auto first = register_slot(nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_SREG));
            masks.clear();
            for (const auto& [slot, prefix] : masked_slots)
                if (slot >= first) masks[(slot - first) * 4] = prefix;
        } else if (std::strcmp(name, "immediate") == 0 && nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT)) {
            const auto code = static_cast<int>(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT));
            rule.verdict = code == NF_ACCEPT ? NftVerdict::Accept : code == NF_DROP ? NftVerdict::Drop : rule.verdict;
        } else if (auto c = counter_of(e)) {
            rule.counter = c;
        }
    }
    return rule;
}

NftLiveChain& chain_named(NftLiveState& state, const std::string& name) {
    for (auto& c : state.chains)
        if (c.name == name) return c;
    state.chains.push_back({name, {}});
    return state.chains.back();
}

// ------------------------------------------------------------ sets

// nft's concatenated type id, 6 bits per field, back into field types.
std::vector<NftValueType> key_types(std::uint32_t id) {
    std::vector<NftValueType> out;
    for (; id != 0; id >>= 6) {
        switch (id & 0x3f) {
            case 7: out.insert(out.begin(), NftValueType::Ipv4Address); break;
            case 8: out.insert(out.begin(), NftValueType::Ipv6Address); break;
            case 12: out.insert(out.begin(), NftValueType::Protocol); break;
            case 13: out.insert(out.begin(), NftValueType::Port); break;
            default: return {};  // not a set winipsec wrote; keys print as hex
        }
    }
    return out;
}

Bytes element_bytes(nftnl_set_elem* e, std::uint16_t attr) {
    if (!nftnl_set_elem_is_set(e, attr)) return {};
    std::uint32_t length = 0;
    const auto* data = static_cast<const std::uint8_t*>(nftnl_set_elem_get(e, attr, &length));
    return Bytes(data, data + length);
}

std::string hex(const Bytes& bytes) {
    std::string out = "0x";
    for (const auto b : bytes) out += fmt::format("{:02x}", b);
    return out;
}

// "a . b . c" from key bytes in register layout (see key_bytes in
// nft_encode.cpp), masked fields as prefixes.
std::string format_key(const std::vector<NftValueType>& types, const Bytes& key, const KeyMasks& masks) {
    if (types.empty()) return hex(key);
    std::string out;
    std::size_t offset = 0;
    for (const auto type : types) {
        const std::size_t length = value_length(type);
        if (offset + length > key.size()) return hex(key);
        if (!out.empty()) out += " . ";
        const auto mask = masks.find(offset);
        out += format_value(type, std::span(key).subspan(offset, length), mask == masks.end() ? -1 : mask->second);
        offset += types.size() > 1 ? (length + 3) / 4 * 4 : length;
    }
    return out;
}

struct RawElement {
    Bytes key;
    std::string comment;
    std::optional<NftCounter> counter;
};

RawElement raw_element(nftnl_set_elem* e) {
    RawElement raw;
    raw.key = element_bytes(e, NFTNL_SET_ELEM_KEY);
    std::uint32_t length = 0;
    const void* udata = nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &length);
    if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_USERDATA))
        raw.comment = udata_string(udata, length, NFTNL_UDATA_SET_ELEM_COMMENT);
    nftnl_set_elem_expr_foreach(
        e,
        [](nftnl_expr* expr, void* context) -> int {
            if (auto c = counter_of(expr)) static_cast<RawElement*>(context)->counter = c;
            return 0;
        },
        &raw);
    return raw;
}

std::expected<void, Error> read_elements(NetlinkSocket& socket, NftLiveSet& set, const KeyMasks& masks) {
    auto collected = nftnl_owned(nftnl_set_alloc());
    auto status = dump(
        socket, NFT_MSG_GETSETELEM,
        [&](nlmsghdr* nlh) {
            auto s = nftnl_owned(nftnl_set_alloc());
            nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table_name().c_str());
            nftnl_set_set_str(s.get(), NFTNL_SET_NAME, set.name.c_str());
            nftnl_set_elems_nlmsg_build_payload(nlh, s.get());
        },
        [&](const nlmsghdr& message) {
            nftnl_set_elems_nlmsg_parse(&message, collected.get());  // appends this message's elements
            return Next::Continue;
        },
        "elements of set " + set.name);
    if (!status) return status;

    auto iter = nftnl_owned(nftnl_set_elems_iter_create(collected.get()));
    // _next() returns the current element and advances (libnftnl set_elem.c).
    while (auto* e = nftnl_set_elems_iter_next(iter.get())) {
        auto r = raw_element(e);
        set.elements.push_back({format_key(set.key, r.key, masks), std::move(r.comment), r.counter});
    }
    return {};
}

std::expected<bool, Error> table_present(NetlinkSocket& socket) {
    auto table = request(socket, NFT_MSG_GETTABLE, NLM_F_ACK,
                         [](nlmsghdr* nlh) {
                             auto t = nftnl_owned(nftnl_table_alloc());
                             nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, table_name().c_str());
                             nftnl_table_nlmsg_build_payload(nlh, t.get());
                         },
                         {});
    if (!table) return std::unexpected(table.error());
    if (table->code == -ENOENT) return false;
    if (table->code != 0)
        return std::unexpected(
            Error::system("reading table inet winipsec: " + describe_netlink_error(table->code, table->message)));
    return true;
}

}  // namespace

const NftLiveChain* NftLiveState::chain(std::string_view name) const {
    for (const auto& c : chains)
        if (c.name == name) return &c;
    return nullptr;
}

const NftLiveSet* NftLiveState::set(std::string_view name) const {
    for (const auto& s : sets)
        if (s.name == name) return &s;
    return nullptr;
}

const NftLiveRule* NftLiveState::rule_with_comment(std::string_view prefix) const {
    for (const auto& c : chains)
        for (const auto& r : c.rules)
            if (r.comment.starts_with(prefix)) return &r;
    return nullptr;
}

std::expected<bool, Error> nft_table_present() {
    auto socket = NetlinkSocket::open(NETLINK_NETFILTER);
    if (!socket) return std::unexpected(socket.error());
    return table_present(*socket);
}

std::expected<NftLiveState, Error> read_nft_state() {
    auto socket = NetlinkSocket::open(NETLINK_NETFILTER);
    if (!socket) return std::unexpected(socket.error());
    NftLiveState state;

    auto present = table_present(*socket);
    if (!present) return std::unexpected(present.error());
    if (!*present) return state;
    state.present = true;

    auto chains = dump(
        *socket, NFT_MSG_GETCHAIN,
        [](nlmsghdr* nlh) {
            auto c = nftnl_owned(nftnl_chain_alloc());
            nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TABLE, table_name().c_str());
            nftnl_chain_nlmsg_build_payload(nlh, c.get());
        },
        [&](const nlmsghdr& message) {
            auto c = nftnl_owned(nftnl_chain_alloc());
            if (nftnl_chain_nlmsg_parse(&message, c.get()) >= 0 &&
                ours(nftnl_chain_get_str(c.get(), NFTNL_CHAIN_TABLE)))
                chain_named(state, nftnl_chain_get_str(c.get(), NFTNL_CHAIN_NAME));
            return Next::Continue;
        },
        "chains");
    if (!chains) return std::unexpected(chains.error());

    std::map<std::string, KeyMasks> masks_by_set;
    auto rules = dump(
        *socket, NFT_MSG_GETRULE,
        [](nlmsghdr* nlh) {
            auto r = nftnl_owned(nftnl_rule_alloc());
            nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, table_name().c_str());
            nftnl_rule_nlmsg_build_payload(nlh, r.get());
        },
        [&](const nlmsghdr& message) {
            auto r = nftnl_owned(nftnl_rule_alloc());
            if (nftnl_rule_nlmsg_parse(&message, r.get()) < 0 || !ours(nftnl_rule_get_str(r.get(), NFTNL_RULE_TABLE)))
                return Next::Continue;
            KeyMasks masks;
            auto rule = live_rule(r.get(), masks);
            if (!rule.set.empty()) masks_by_set[rule.set] = std::move(masks);
            chain_named(state, nftnl_rule_get_str(r.get(), NFTNL_RULE_CHAIN)).rules.push_back(std::move(rule));
            return Next::Continue;
        },
        "rules");
    if (!rules) return std::unexpected(rules.error());

    auto sets = dump(
        *socket, NFT_MSG_GETSET,
        [](nlmsghdr* nlh) {
            auto s = nftnl_owned(nftnl_set_alloc());
            nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table_name().c_str());
            nftnl_set_nlmsg_build_payload(nlh, s.get());
        },
        [&](const nlmsghdr& message) {
            auto s = nftnl_owned(nftnl_set_alloc());
            if (nftnl_set_nlmsg_parse(&message, s.get()) < 0 || !ours(nftnl_set_get_str(s.get(), NFTNL_SET_TABLE)))
                return Next::Continue;
            NftLiveSet set;
            set.name = nftnl_set_get_str(s.get(), NFTNL_SET_NAME);
            set.key = key_types(nftnl_set_get_u32(s.get(), NFTNL_SET_KEY_TYPE));
            state.sets.push_back(std::move(set));
            return Next::Continue;
        },
        "sets");
    if (!sets) return std::unexpected(sets.error());

    for (auto& set : state.sets)
        if (auto elements = read_elements(*socket, set, masks_by_set[set.name]); !elements)
            return std::unexpected(elements.error());
    return state;
}

}  // namespace winipsec::kernel
