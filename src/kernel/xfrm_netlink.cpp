#include "kernel/xfrm_netlink.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

namespace winipsec::kernel {
namespace {

// Sizes measured with the uapi headers here (spec §4.1); a mismatch means
// another ABI and every offset below would be wrong.
static_assert(sizeof(xfrm_selector) == 56);
static_assert(sizeof(xfrm_userpolicy_info) == 168);
static_assert(sizeof(xfrm_user_tmpl) == 64);
static_assert(sizeof(xfrm_userpolicy_id) == 64);

int family_code(IpFamily family) {
    return family == IpFamily::V4 ? AF_INET : AF_INET6;
}

std::optional<IpFamily> family_of(unsigned code) {
    if (code == AF_INET) return IpFamily::V4;
    if (code == AF_INET6) return IpFamily::V6;
    return std::nullopt;
}

void put_address(xfrm_address_t& out, const IpAddress& address) {
    std::memcpy(&out, address.bytes.data(), address.family == IpFamily::V4 ? 4 : 16);
}

IpAddress get_address(const xfrm_address_t& in, IpFamily family) {
    IpAddress a = IpAddress::any(family);
    std::memcpy(a.bytes.data(), &in, family == IpFamily::V4 ? 4 : 16);
    return a;
}

// The kernel compares the whole struct (spec §4.2), so every byte we do not
// set must be zero: callers start from a value-initialised struct.
xfrm_selector encode(const XfrmSelector& s) {
    xfrm_selector k{};
    put_address(k.saddr, s.source.address);
    put_address(k.daddr, s.destination.address);
    k.sport = htons(s.source_port);
    k.sport_mask = htons(s.source_port_mask);
    k.dport = htons(s.destination_port);
    k.dport_mask = htons(s.destination_port_mask);
    k.family = static_cast<__u16>(family_code(s.family()));
    k.prefixlen_s = static_cast<__u8>(s.source.length);
    k.prefixlen_d = static_cast<__u8>(s.destination.length);
    k.proto = s.protocol;
    k.ifindex = s.ifindex;
    return k;
}

// Raw, not canonicalised: a foreign policy must be deleted/compared with
// exactly the bytes the kernel holds.
std::optional<XfrmSelector> decode(const xfrm_selector& k) {
    const auto family = family_of(k.family);
    if (!family) return std::nullopt;
    XfrmSelector s;
    s.source = {get_address(k.saddr, *family), k.prefixlen_s};
    s.destination = {get_address(k.daddr, *family), k.prefixlen_d};
    s.source_port = ntohs(k.sport);
    s.source_port_mask = ntohs(k.sport_mask);
    s.destination_port = ntohs(k.dport);
    s.destination_port_mask = ntohs(k.dport_mask);
    s.protocol = k.proto;
    s.ifindex = k.ifindex;
    return s;
}

xfrm_user_tmpl encode(const XfrmTemplate& t) {
    xfrm_user_tmpl k{};
    k.id.proto = static_cast<__u8>(t.proto);
    if (t.destination) put_address(k.id.daddr, *t.destination);
    if (t.source) put_address(k.saddr, *t.source);
    k.family = static_cast<__u16>(family_code(t.family));
    k.reqid = t.reqid;
    k.mode = static_cast<__u8>(t.mode);
    k.optional = t.optional ? 1 : 0;
    // Any algorithm: the kernel requires the SA's algorithms to be in these
    // masks on input (xfrm_state_ok), and IKE chooses them (spec §4.1).
    k.aalgos = k.ealgos = k.calgos = ~0u;
    return k;
}

XfrmTemplate decode(const xfrm_user_tmpl& k, IpFamily selector_family) {
    XfrmTemplate t;
    t.proto = static_cast<XfrmProto>(k.id.proto);
    t.mode = static_cast<XfrmMode>(k.mode);
    t.family = family_of(k.family).value_or(selector_family);
    const IpAddress zero = IpAddress::any(t.family);
    if (auto d = get_address(k.id.daddr, t.family); d != zero) t.destination = d;
    if (auto s = get_address(k.saddr, t.family); s != zero) t.source = s;
    t.reqid = k.reqid;
    t.optional = k.optional != 0;
    return t;
}

// Attributes of one dumped policy.
struct Attributes {
    std::vector<XfrmTemplate> templates;
    bool foreign_keys = false;
    IpFamily family = IpFamily::V4;
};

int collect_attribute(const nlattr* attribute, void* data) {
    auto& a = *static_cast<Attributes*>(data);
    const auto* payload = static_cast<const char*>(mnl_attr_get_payload(attribute));
    const std::size_t length = mnl_attr_get_payload_len(attribute);
    switch (mnl_attr_get_type(attribute)) {
        case XFRMA_TMPL:
            for (std::size_t at = 0; at + sizeof(xfrm_user_tmpl) <= length; at += sizeof(xfrm_user_tmpl)) {
                xfrm_user_tmpl k;
                std::memcpy(&k, payload + at, sizeof k);
                a.templates.push_back(decode(k, a.family));
            }
            break;
        case XFRMA_POLICY_TYPE:
            if (length >= sizeof(xfrm_userpolicy_type)) {
                xfrm_userpolicy_type type;
                std::memcpy(&type, payload, sizeof type);
                if (type.type != XFRM_POLICY_TYPE_MAIN) a.foreign_keys = true;
            }
            break;
        case XFRMA_MARK:
        case XFRMA_SEC_CTX: a.foreign_keys = true; break;
        case XFRMA_IF_ID:
            if (length >= sizeof(std::uint32_t)) {
                std::uint32_t if_id = 0;
                std::memcpy(&if_id, payload, sizeof if_id);
                if (if_id != 0) a.foreign_keys = true;
            }
            break;
        default: break;
    }
    return MNL_CB_OK;
}

// nullopt for what is not an SPD policy of ours to describe (socket
// policies: dir >= XFRM_POLICY_MAX; unknown families).
std::expected<std::optional<XfrmPolicy>, Error> decode_policy(const nlmsghdr& message) {
    if (message.nlmsg_type != XFRM_MSG_NEWPOLICY) return std::nullopt;
    if (mnl_nlmsg_get_payload_len(&message) < sizeof(xfrm_userpolicy_info))
        return std::unexpected(Error::system("XFRM policy dump: a reply is shorter than xfrm_userpolicy_info"));
    xfrm_userpolicy_info info;
    std::memcpy(&info, mnl_nlmsg_get_payload(&message), sizeof info);
    if (info.dir >= XFRM_POLICY_MAX) return std::nullopt;
    const auto selector = decode(info.sel);
    if (!selector) return std::nullopt;
    Attributes attributes;
    attributes.family = selector->family();
    if (mnl_attr_parse(&message, sizeof(xfrm_userpolicy_info), collect_attribute, &attributes) < 0)
        return std::unexpected(Error::system("XFRM policy dump: malformed attributes"));
    XfrmPolicy p;
    p.selector = *selector;
    p.dir = static_cast<XfrmDir>(info.dir);
    p.action = info.action == XFRM_POLICY_BLOCK ? XfrmAction::Block : XfrmAction::Allow;
    p.priority = info.priority;
    p.index = info.index;
    p.templates = std::move(attributes.templates);
    p.foreign_keys = attributes.foreign_keys;
    return p;
}

// The kernel's limit on templates per policy (include/net/xfrm.h, not uapi;
// xfrm_user.c copy_templates rejects more with EINVAL).
constexpr std::size_t xfrm_max_depth = 6;

// One message: a policy with 6 templates needs 16 + 168 + 4 + 6 * 64 bytes.
constexpr std::size_t message_buffer_size = 1024;

// Socket buffers for a full send: the messages go out as one skb (bounded
// by SO_SNDBUF) and every acknowledgement is an skb of its own on the
// receive queue (about 1 KiB of accounting each, however small).
constexpr std::size_t send_buffer_bytes = XfrmSocket::max_requests_per_send * message_buffer_size * 2;
constexpr std::size_t receive_buffer_bytes = XfrmSocket::max_requests_per_send * 4096;

std::uint16_t message_type(XfrmChange change) {
    switch (change) {
        case XfrmChange::Add: return XFRM_MSG_NEWPOLICY;
        case XfrmChange::Update: return XFRM_MSG_UPDPOLICY;
        case XfrmChange::Remove: return XFRM_MSG_DELPOLICY;
    }
    return XFRM_MSG_NEWPOLICY;
}

const char* message_name(XfrmChange change) {
    switch (change) {
        case XfrmChange::Add: return "XFRM NEWPOLICY";
        case XfrmChange::Update: return "XFRM UPDPOLICY";
        case XfrmChange::Remove: return "XFRM DELPOLICY";
    }
    return "XFRM";
}

// "XFRM NEWPOLICY dir out 192.0.2.1/32 -> 198.51.100.0/24 ...": what an error names.
std::string describe(const XfrmRequest& r) {
    return fmt::format("{} dir {} {}", message_name(r.change), to_string(r.policy->dir),
                       r.policy->selector.to_string());
}

// Appends the request's message to `out` (NLMSG_ALIGNed, so messages can
// follow each other in one send).
std::expected<void, Error> encode_request(const XfrmRequest& r, std::uint32_t seq, std::vector<char>& out) {
    const XfrmPolicy& policy = *r.policy;
    if (r.change != XfrmChange::Remove && policy.templates.size() > xfrm_max_depth)
        return std::unexpected(Error::system(fmt::format("{}: {} templates, the kernel takes at most {}", describe(r),
                                                         policy.templates.size(), xfrm_max_depth)));
    const std::size_t at = out.size();
    out.resize(at + message_buffer_size, 0);
    nlmsghdr* message = mnl_nlmsg_put_header(out.data() + at);
    message->nlmsg_type = message_type(r.change);
    message->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    message->nlmsg_seq = seq;
    if (r.change == XfrmChange::Remove) {
        // index 0: look the policy up by selector, i.e. by identity.
        auto* id = static_cast<xfrm_userpolicy_id*>(mnl_nlmsg_put_extra_header(message, sizeof(xfrm_userpolicy_id)));
        id->sel = encode(policy.selector);
        id->dir = static_cast<__u8>(policy.dir);
    } else {
        auto* info =
            static_cast<xfrm_userpolicy_info*>(mnl_nlmsg_put_extra_header(message, sizeof(xfrm_userpolicy_info)));
        info->sel = encode(policy.selector);
        // No lifetime: policies stay until winipsec removes them (as
        // iproute2 and strongSwan set them).
        info->lft.soft_byte_limit = info->lft.hard_byte_limit = XFRM_INF;
        info->lft.soft_packet_limit = info->lft.hard_packet_limit = XFRM_INF;
        info->priority = policy.priority;
        info->index = policy.index;
        info->dir = static_cast<__u8>(policy.dir);
        info->action = static_cast<__u8>(policy.action);
        info->share = XFRM_SHARE_ANY;
        if (!policy.templates.empty()) {
            std::array<xfrm_user_tmpl, xfrm_max_depth> templates{};
            for (std::size_t i = 0; i < policy.templates.size(); ++i) templates[i] = encode(policy.templates[i]);
            mnl_attr_put(message, XFRMA_TMPL, policy.templates.size() * sizeof(xfrm_user_tmpl), templates.data());
        }
    }
    out.resize(at + NLMSG_ALIGN(message->nlmsg_len));
    return {};
}

}  // namespace

std::expected<XfrmSocket, Error> XfrmSocket::open() {
    auto socket = NetlinkSocket::open(NETLINK_XFRM);
    if (!socket) return std::unexpected(socket.error());
    socket->reserve_buffers(send_buffer_bytes, receive_buffer_bytes);
    return XfrmSocket(std::move(*socket));
}

std::expected<std::vector<std::expected<void, Error>>, Error> XfrmSocket::send(std::span<const XfrmRequest> requests) {
    if (requests.size() > max_requests_per_send)
        throw std::invalid_argument("XfrmSocket::send: more than max_requests_per_send requests");
    std::vector<std::expected<void, Error>> results(requests.size());
    std::vector<bool> pending(requests.size(), false);  // sent, no acknowledgement yet
    std::vector<char> bytes;
    bytes.reserve(requests.size() * message_buffer_size);
    std::uint32_t first_seq = 0;  // request i carries first_seq + i
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const std::uint32_t seq = socket_.next_seq();
        if (i == 0) first_seq = seq;
        if (auto encoded = encode_request(requests[i], seq, bytes); !encoded)
            results[i] = std::unexpected(encoded.error());
        else
            pending[i] = true;
    }
    if (bytes.empty()) return results;
    if (auto sent = socket_.send(bytes.data(), bytes.size()); !sent) return std::unexpected(sent.error());
    // The kernel handled the whole send before sendmsg() returned: every
    // acknowledgement is queued already.
    auto acks = socket_.drain();
    if (!acks) return std::unexpected(acks.error());
    for (const auto& ack : *acks) {
        const std::uint32_t i = ack.seq - first_seq;
        if (i >= pending.size() || !pending[i]) continue;  // not one of these requests
        if (ack.code != 0)
            results[i] = std::unexpected(
                Error::system(describe(requests[i]) + ": " + describe_netlink_error(ack.code, ack.message)));
        pending[i] = false;
    }
    for (std::size_t i = 0; i < pending.size(); ++i)
        if (pending[i])
            return std::unexpected(Error::system(describe(requests[i]) + ": the kernel sent no acknowledgement"));
    return results;
}

std::expected<void, Error> XfrmSocket::request(XfrmChange change, const XfrmPolicy& policy) {
    const XfrmRequest r{change, &policy};
    auto results = send(std::span(&r, 1));
    if (!results) return std::unexpected(results.error());
    return results->front();
}

std::expected<void, Error> XfrmSocket::add(const XfrmPolicy& policy) {
    return request(XfrmChange::Add, policy);
}

std::expected<void, Error> XfrmSocket::update(const XfrmPolicy& policy) {
    return request(XfrmChange::Update, policy);
}

std::expected<void, Error> XfrmSocket::remove(const XfrmPolicy& policy) {
    return request(XfrmChange::Remove, policy);
}

std::expected<std::vector<XfrmPolicy>, Error> XfrmSocket::dump() {
    alignas(nlmsghdr) std::array<char, message_buffer_size> buffer{};
    nlmsghdr* message = mnl_nlmsg_put_header(buffer.data());
    message->nlmsg_type = XFRM_MSG_GETPOLICY;
    message->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message->nlmsg_seq = socket_.next_seq();
    // The dump takes no payload (xfrm_dump_policy_start walks every type).
    const std::uint32_t seq = message->nlmsg_seq;
    if (auto sent = socket_.send(message, message->nlmsg_len); !sent) return std::unexpected(sent.error());
    std::vector<XfrmPolicy> policies;
    std::optional<Error> failure;
    auto received = socket_.receive(
        seq,
        [&](const nlmsghdr& reply) {
            auto decoded = decode_policy(reply);
            if (!decoded) {
                failure = decoded.error();
                return NetlinkSocket::Next::Stop;
            }
            if (*decoded) policies.push_back(std::move(**decoded));
            return NetlinkSocket::Next::Continue;
        },
        "XFRM policy dump");
    if (!received) return std::unexpected(received.error());
    if (failure) return std::unexpected(*failure);
    return policies;
}

std::expected<std::vector<XfrmPolicy>, Error> dump_xfrm_policies() {
    auto socket = XfrmSocket::open();
    if (!socket) return std::unexpected(socket.error());
    return socket->dump();
}

}  // namespace winipsec::kernel
