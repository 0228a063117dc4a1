#include "kernel/netlink_socket.hpp"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include <fmt/format.h>

namespace winipsec::kernel {
namespace {

// The kernel never sends a netlink skb above 32 KiB for dumps (netlink_dump),
// and error replies are capped (NETLINK_CAP_ACK), so 64 KiB never truncates.
constexpr std::size_t receive_buffer_size = 64 * 1024;

std::string errno_text(int error) {
    return std::strerror(error);
}

void set_buffer(int fd, int force_option, int option, std::size_t bytes) {
    if (bytes == 0) return;
    const int value = bytes > 0x3fffffff ? 0x3fffffff : static_cast<int>(bytes);
    int current = 0;
    socklen_t length = sizeof current;
    // The kernel reports twice the value set (bookkeeping overhead included).
    if (getsockopt(fd, SOL_SOCKET, option, &current, &length) == 0 && current >= value) return;
    if (setsockopt(fd, SOL_SOCKET, force_option, &value, sizeof value) != 0)
        (void)setsockopt(fd, SOL_SOCKET, option, &value, sizeof value);  // capped by rmem_max/wmem_max
}

}  // namespace

std::string describe_netlink_error(int code, const std::string& extack) {
    std::string text = errno_text(code < 0 ? -code : code);
    if (!extack.empty()) text += fmt::format(" (kernel: {})", extack);
    return text;
}

NetlinkAck parse_netlink_ack(const nlmsghdr& message) {
    NetlinkAck ack;
    ack.seq = message.nlmsg_seq;
    const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(&message));
    if (message.nlmsg_len < mnl_nlmsg_size(sizeof(nlmsgerr))) {
        ack.code = -EBADMSG;
        return ack;
    }
    ack.code = err->error;
    if (!(message.nlmsg_flags & NLM_F_ACK_TLVS)) return ack;
    // TLVs follow the echoed request, which is cut to its header when the
    // kernel capped the reply or when it is a plain acknowledgement.
    std::size_t offset = sizeof(nlmsgerr);
    if (!(message.nlmsg_flags & NLM_F_CAPPED) && err->error != 0) offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
    const std::size_t payload = message.nlmsg_len - MNL_NLMSG_HDRLEN;
    if (offset >= payload) return ack;
    const auto* base = static_cast<const char*>(mnl_nlmsg_get_payload(&message));
    const char* const end = base + payload;
    for (auto* attr = reinterpret_cast<const nlattr*>(base + offset);
         mnl_attr_ok(attr, static_cast<int>(end - reinterpret_cast<const char*>(attr))); attr = mnl_attr_next(attr)) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
            ack.message = mnl_attr_get_str(attr);
    }
    return ack;
}

NetlinkSocket::NetlinkSocket(mnl_socket* socket)
    : socket_(socket), seq_(static_cast<std::uint32_t>(std::time(nullptr))), buffer_(receive_buffer_size) {}

NetlinkSocket::NetlinkSocket(NetlinkSocket&& other) noexcept
    : socket_(std::exchange(other.socket_, nullptr)), seq_(other.seq_), buffer_(std::move(other.buffer_)) {}

NetlinkSocket& NetlinkSocket::operator=(NetlinkSocket&& other) noexcept {
    if (this != &other) {
        close();
        socket_ = std::exchange(other.socket_, nullptr);
        seq_ = other.seq_;
        buffer_ = std::move(other.buffer_);
    }
    return *this;
}

NetlinkSocket::~NetlinkSocket() {
    close();
}

void NetlinkSocket::close() {
    if (socket_) mnl_socket_close(socket_);
    socket_ = nullptr;
}

std::expected<NetlinkSocket, Error> NetlinkSocket::open(int bus) {
    mnl_socket* socket = mnl_socket_open(bus);
    if (!socket) return std::unexpected(Error::system("cannot open a netlink socket: " + errno_text(errno)));
    NetlinkSocket owned(socket);  // closes on every return below
    if (mnl_socket_bind(socket, 0, MNL_SOCKET_AUTOPID) < 0)
        return std::unexpected(Error::system("cannot bind a netlink socket: " + errno_text(errno)));
    int on = 1;
    // Extended acks carry the kernel's reason ("Set element overlaps ..."),
    // capped acks keep a failing 60 KiB message from being echoed back whole.
    // Both are best effort: old kernels simply ignore them.
    (void)mnl_socket_setsockopt(socket, NETLINK_EXT_ACK, &on, sizeof on);
    (void)mnl_socket_setsockopt(socket, NETLINK_CAP_ACK, &on, sizeof on);
    return owned;
}

std::uint32_t NetlinkSocket::portid() const {
    return mnl_socket_get_portid(socket_);
}

void NetlinkSocket::reserve_buffers(std::size_t send_bytes, std::size_t receive_bytes) {
    const int fd = mnl_socket_get_fd(socket_);
    set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, send_bytes);
    set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, receive_bytes);
}

std::expected<void, Error> NetlinkSocket::send(const void* bytes, std::size_t length) {
    const ssize_t sent = mnl_socket_sendto(socket_, bytes, length);
    if (sent < 0) return std::unexpected(Error::system("netlink send failed: " + errno_text(errno)));
    if (static_cast<std::size_t>(sent) != length) return std::unexpected(Error::system("netlink send was cut short"));
    return {};
}

std::expected<std::size_t, Error> NetlinkSocket::read(bool wait) {
    while (true) {
        const ssize_t n = recv(mnl_socket_get_fd(socket_), buffer_.data(), buffer_.size(), wait ? 0 : MSG_DONTWAIT);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (!wait && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
        if (errno == ENOBUFS)
            return std::unexpected(Error::system("netlink replies were lost: the receive buffer overflowed (ENOBUFS)"));
        return std::unexpected(Error::system("netlink receive failed: " + errno_text(errno)));
    }
}

std::expected<void, Error> NetlinkSocket::receive(std::uint32_t seq, const MessageCallback& on_message,
                                                  const std::string& what) {
    auto status = receive_status(seq, on_message);
    if (!status) return std::unexpected(status.error());
    if (status->code != 0)
        return std::unexpected(Error::system(what + ": " + describe_netlink_error(status->code, status->message)));
    return {};
}

std::expected<NetlinkAck, Error> NetlinkSocket::receive_status(std::uint32_t seq, const MessageCallback& on_message) {
    const std::uint32_t port = portid();
    while (true) {
        auto n = read(true);
        if (!n) return std::unexpected(n.error());
        int length = static_cast<int>(*n);
        for (auto* message = reinterpret_cast<const nlmsghdr*>(buffer_.data()); mnl_nlmsg_ok(message, length);
             message = mnl_nlmsg_next(message, &length)) {
            if (message->nlmsg_seq != seq || !mnl_nlmsg_portid_ok(message, port)) continue;  // stale reply
            if (message->nlmsg_type == NLMSG_DONE) return NetlinkAck{seq, 0, {}};
            if (message->nlmsg_type == NLMSG_ERROR) return parse_netlink_ack(*message);
            if (message->nlmsg_type < NLMSG_MIN_TYPE) continue;  // NOOP, OVERRUN
            if (on_message && on_message(*message) == Next::Stop) return NetlinkAck{seq, 0, {}};
        }
    }
}

std::expected<std::vector<NetlinkAck>, Error> NetlinkSocket::drain(const MessageCallback& on_message) {
    std::vector<NetlinkAck> acks;
    const std::uint32_t port = portid();
    while (true) {
        auto n = read(false);
        if (!n) return std::unexpected(n.error());
        if (*n == 0) return acks;
        int length = static_cast<int>(*n);
        for (auto* message = reinterpret_cast<const nlmsghdr*>(buffer_.data()); mnl_nlmsg_ok(message, length);
             message = mnl_nlmsg_next(message, &length)) {
            if (!mnl_nlmsg_portid_ok(message, port)) continue;
            if (message->nlmsg_type == NLMSG_ERROR)
                acks.push_back(parse_netlink_ack(*message));
            else if (message->nlmsg_type >= NLMSG_MIN_TYPE && on_message)
                (void)on_message(*message);
        }
    }
}

}  // namespace winipsec::kernel
