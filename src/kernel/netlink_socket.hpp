#pragma once
// A netlink socket of one bus (NETLINK_NETFILTER, NETLINK_XFRM, ...) owned by
// RAII, with the two receive patterns the kernel back ends need:
//  - request/response (a dump or one acknowledged request): read until
//    NLMSG_DONE or the acknowledgement of `seq`;
//  - a batch whose replies are already queued when send() returns (nfnetlink
//    processes a batch synchronously inside sendmsg(), net/netfilter/
//    nfnetlink.c), drained without blocking.
// Errors carry the kernel's extended-ack text (NETLINK_EXT_ACK) when it sent one.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "import/error.hpp"

struct mnl_socket;
struct nlmsghdr;

namespace winipsec::kernel {

// One NLMSG_ERROR reply: code 0 is an acknowledgement.
struct NetlinkAck {
    std::uint32_t seq = 0;
    int code = 0;         // 0 or a negative errno
    std::string message;  // extended-ack text, may be empty
};

// "Operation not permitted (kernel: <extack>)" for a negative errno.
std::string describe_netlink_error(int code, const std::string& extack);

class NetlinkSocket {
public:
    // What a message callback tells the receive loop.
    enum class Next { Continue, Stop };
    using MessageCallback = std::function<Next(const nlmsghdr&)>;

    // Opens and binds a socket of `bus` in the calling thread's network namespace.
    static std::expected<NetlinkSocket, Error> open(int bus);

    NetlinkSocket(NetlinkSocket&& other) noexcept;
    NetlinkSocket& operator=(NetlinkSocket&& other) noexcept;
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;
    ~NetlinkSocket();

    std::uint32_t portid() const;
    // A fresh sequence number (starts from the time, as libmnl examples do, so
    // replies to an earlier process's requests are never mistaken for ours).
    std::uint32_t next_seq() { return seq_++; }

    // Large batches need room: a netlink send is one skb bounded by SO_SNDBUF,
    // and every acknowledgement costs receive-buffer space. Uses the *FORCE
    // variants when privileged, the plain ones otherwise.
    void reserve_buffers(std::size_t send_bytes, std::size_t receive_bytes);

    // Sends `bytes` (one or more complete netlink messages) in one sendmsg().
    std::expected<void, Error> send(const void* bytes, std::size_t length);

    // Reads replies to `seq` until NLMSG_DONE, an acknowledgement, or the
    // callback says Stop. A kernel error reply becomes Error::system with
    // `what` in front of the errno text.
    std::expected<void, Error> receive(std::uint32_t seq, const MessageCallback& on_message, const std::string& what);
    // Same loop, for callers to whom some kernel refusals are answers (ENOENT
    // for "absent"): the kernel's reply comes back as a NetlinkAck (code 0
    // after NLMSG_DONE, an ack or a Stop); only socket failures are errors.
    std::expected<NetlinkAck, Error> receive_status(std::uint32_t seq, const MessageCallback& on_message);

    // Collects every queued reply without blocking (after a batch): the
    // acknowledgements and errors, in arrival order. Non-error messages go to
    // `on_message` when given. An overflowed receive buffer (ENOBUFS) is
    // reported as an error: replies were lost.
    std::expected<std::vector<NetlinkAck>, Error> drain(const MessageCallback& on_message = {});

private:
    explicit NetlinkSocket(mnl_socket* socket);
    // One recv() into buffer_; 0 bytes = nothing queued (only when !wait).
    std::expected<std::size_t, Error> read(bool wait);
    void close();

    mnl_socket* socket_ = nullptr;
    std::uint32_t seq_ = 0;
    std::vector<std::byte> buffer_;
};

// Reads an NLMSG_ERROR reply (errno and extended-ack message).
NetlinkAck parse_netlink_ack(const nlmsghdr& message);

}  // namespace winipsec::kernel
