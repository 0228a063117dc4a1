#include "daemon/address_monitor.hpp"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace winipsec::daemon {

std::expected<AddressMonitor, std::string> AddressMonitor::open() {
    mnl_socket* s = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!s) return std::unexpected(fmt::format("rtnetlink: {}", std::strerror(errno)));
    AddressMonitor monitor(s);
    if (mnl_socket_bind(s, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, MNL_SOCKET_AUTOPID) < 0)
        return std::unexpected(fmt::format("rtnetlink: bind to the address groups: {}", std::strerror(errno)));
    return monitor;
}

AddressMonitor::AddressMonitor(AddressMonitor&& other) noexcept : socket_(std::exchange(other.socket_, nullptr)) {}

AddressMonitor::~AddressMonitor() {
    if (socket_) mnl_socket_close(socket_);
}

int AddressMonitor::fd() const {
    return mnl_socket_get_fd(socket_);
}

bool AddressMonitor::drain() {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    bool changed = false;
    while (true) {
        const ssize_t n = mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            // ENOBUFS: the kernel dropped notifications; assume a change.
            if (errno == ENOBUFS) changed = true;
            return changed;
        }
        if (n == 0) return changed;
        auto* h = reinterpret_cast<const nlmsghdr*>(buffer.data());
        int left = static_cast<int>(n);
        for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left))
            if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) changed = true;
    }
}

}  // namespace winipsec::daemon
