// default_gateways(): the next hops Windows' `gateway` server keyword stands
// for (spec §8.3, E13), read from the main routing table of the current
// network namespace over rtnetlink. Reading the kernel directly (instead of
// running `ip route`) keeps us independent of iproute2's output format and
// lets the daemon call this from inside whatever namespace it runs in.
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "plan/host_facts.hpp"

namespace winipsec::plan {
namespace {

struct MnlSocketClose {
    void operator()(mnl_socket* socket) const { mnl_socket_close(socket); }
};
using MnlSocket = std::unique_ptr<mnl_socket, MnlSocketClose>;

// A dump reply may carry up to 32 KiB per read (libmnl's later
// MNL_SOCKET_DUMP_SIZE); MNL_SOCKET_BUFFER_SIZE (one page) would truncate
// messages on hosts with large routing tables.
constexpr std::size_t dump_buffer_size = 32768;

std::optional<IpAddress> address_from(int family, const void* data, std::size_t length) {
    IpAddress address;
    if (family == AF_INET && length == 4) {
        address.family = IpFamily::V4;
    } else if (family == AF_INET6 && length == 16) {
        address.family = IpFamily::V6;
    } else {
        return std::nullopt;
    }
    std::memcpy(address.bytes.data(), data, length);
    return address;
}

// Gateway attributes of one route or one multipath next hop. RTA_VIA is how
// the kernel spells an IPv6 next hop of an IPv4 route (RFC 5549 style).
struct NextHopAttributes {
    int route_family = AF_UNSPEC;
    std::vector<IpAddress>* out = nullptr;
};

int collect_gateway(const nlattr* attribute, void* data) {
    auto& hop = *static_cast<NextHopAttributes*>(data);
    const auto type = mnl_attr_get_type(attribute);
    const auto* payload = mnl_attr_get_payload(attribute);
    const std::size_t length = mnl_attr_get_payload_len(attribute);
    std::optional<IpAddress> gateway;
    if (type == RTA_GATEWAY) {
        gateway = address_from(hop.route_family, payload, length);
    } else if (type == RTA_VIA && length >= sizeof(rtvia)) {
        const auto* via = static_cast<const rtvia*>(payload);
        gateway = address_from(via->rtvia_family, via->rtvia_addr, length - sizeof(rtvia));
    }
    if (gateway) hop.out->push_back(*gateway);
    return MNL_CB_OK;
}

// RTA_MULTIPATH is an array of struct rtnexthop, each followed by its own
// attributes (RTA_GATEWAY, RTA_VIA, ...).
void collect_multipath(const nlattr* multipath, NextHopAttributes& hop) {
    const auto* cursor = static_cast<const char*>(mnl_attr_get_payload(multipath));
    std::size_t remaining = mnl_attr_get_payload_len(multipath);
    while (remaining >= sizeof(rtnexthop)) {
        rtnexthop nexthop;
        std::memcpy(&nexthop, cursor, sizeof nexthop);
        if (nexthop.rtnh_len < sizeof(rtnexthop) || nexthop.rtnh_len > remaining) break;
        mnl_attr_parse_payload(cursor + RTNH_LENGTH(0), nexthop.rtnh_len - RTNH_LENGTH(0), collect_gateway, &hop);
        const std::size_t step = RTNH_ALIGN(nexthop.rtnh_len);
        if (step >= remaining) break;
        cursor += step;
        remaining -= step;
    }
}

struct RouteAttributes {
    const nlattr* table = nullptr;
    const nlattr* multipath = nullptr;
};

int index_route_attribute(const nlattr* attribute, void* data) {
    auto& route = *static_cast<RouteAttributes*>(data);
    switch (mnl_attr_get_type(attribute)) {
        case RTA_TABLE:
            if (mnl_attr_validate(attribute, MNL_TYPE_U32) >= 0) route.table = attribute;
            break;
        case RTA_MULTIPATH: route.multipath = attribute; break;
        default: break;
    }
    return MNL_CB_OK;
}

int collect_default_route(const nlmsghdr* message, void* data) {
    auto* out = static_cast<std::vector<IpAddress>*>(data);
    const auto* route = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(message));
    // Only unicast default routes forward traffic to a gateway; a default
    // `unreachable`/`blackhole` route or a cached clone names no next hop.
    if (route->rtm_dst_len != 0 || route->rtm_type != RTN_UNICAST || (route->rtm_flags & RTM_F_CLONED))
        return MNL_CB_OK;
    RouteAttributes attributes;
    mnl_attr_parse(message, sizeof(rtmsg), index_route_attribute, &attributes);
    // Table ids above 255 only fit in RTA_TABLE; rtm_table then says RT_TABLE_COMPAT.
    const std::uint32_t table = attributes.table ? mnl_attr_get_u32(attributes.table) : route->rtm_table;
    if (table != RT_TABLE_MAIN) return MNL_CB_OK;
    NextHopAttributes hop{route->rtm_family, out};
    mnl_attr_parse(message, sizeof(rtmsg), collect_gateway, &hop);
    if (attributes.multipath) collect_multipath(attributes.multipath, hop);
    return MNL_CB_OK;
}

std::expected<void, std::string> dump_routes(mnl_socket* socket, unsigned char family, std::vector<IpAddress>& out) {
    std::array<char, dump_buffer_size> buffer{};
    nlmsghdr* request = mnl_nlmsg_put_header(buffer.data());
    request->nlmsg_type = RTM_GETROUTE;
    request->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    const auto sequence = static_cast<unsigned>(std::time(nullptr)) + family;
    request->nlmsg_seq = sequence;
    auto* route = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(request, sizeof(rtmsg)));
    route->rtm_family = family;
    const char* family_name = family == AF_INET ? "IPv4" : "IPv6";

    if (mnl_socket_sendto(socket, request, request->nlmsg_len) < 0)
        return std::unexpected(
            fmt::format("cannot request the {} routing table: {}", family_name, std::strerror(errno)));
    const unsigned port = mnl_socket_get_portid(socket);
    for (;;) {
        const ssize_t received = mnl_socket_recvfrom(socket, buffer.data(), buffer.size());
        if (received < 0)
            return std::unexpected(
                fmt::format("cannot read the {} routing table: {}", family_name, std::strerror(errno)));
        const int status =
            mnl_cb_run(buffer.data(), static_cast<std::size_t>(received), sequence, port, collect_default_route, &out);
        if (status == MNL_CB_STOP) return {};
        if (status < 0)
            return std::unexpected(
                fmt::format("cannot read the {} routing table: {}", family_name, std::strerror(errno)));
    }
}

}  // namespace

std::expected<std::vector<IpAddress>, std::string> default_gateways() {
    MnlSocket socket(mnl_socket_open(NETLINK_ROUTE));
    if (!socket) return std::unexpected(fmt::format("cannot open an rtnetlink socket: {}", std::strerror(errno)));
    if (mnl_socket_bind(socket.get(), 0, MNL_SOCKET_AUTOPID) < 0)
        return std::unexpected(fmt::format("cannot bind the rtnetlink socket: {}", std::strerror(errno)));

    std::vector<IpAddress> gateways;
    for (const unsigned char family : std::array<unsigned char, 2>{AF_INET, AF_INET6}) {
        if (auto dumped = dump_routes(socket.get(), family, gateways); !dumped) return std::unexpected(dumped.error());
    }
    // Several default routes (metrics, multipath, per-interface) may share a
    // next hop; callers want the set of gateways.
    std::sort(gateways.begin(), gateways.end());
    gateways.erase(std::unique(gateways.begin(), gateways.end()), gateways.end());
    return gateways;
}

}  // namespace winipsec::plan
