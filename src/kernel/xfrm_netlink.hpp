#pragma once
// XFRM policies on the wire (NETLINK_XFRM, uapi linux/xfrm.h; spec
// linux-targets.md §4.1): one typed layer that builds and parses
// XFRM_MSG_NEWPOLICY / UPDPOLICY / DELPOLICY / GETPOLICY messages, so no
// caller pokes at xfrm_userpolicy_info bytes. Every request asks for an
// acknowledgement; a failure is Error::system with the errno text and the
// kernel's extended-ack reason ("Invalid policy direction", ...).
#include <cstddef>
#include <expected>
#include <span>
#include <vector>

#include "import/error.hpp"
#include "kernel/netlink_socket.hpp"
#include "kernel/xfrm_policy.hpp"

namespace winipsec::kernel {

// One change to the SPD.
enum class XfrmChange { Add, Update, Remove };  // NEWPOLICY, UPDPOLICY, DELPOLICY

struct XfrmRequest {
    XfrmChange change;
    const XfrmPolicy* policy;  // not owned; valid for the call
};

class XfrmSocket {
public:
    // The most requests one send() carries: the socket's buffers are sized
    // for this many messages (at most 1 KiB each) and their acknowledgements.
    static constexpr std::size_t max_requests_per_send = 128;

    // A NETLINK_XFRM socket in the calling thread's network namespace.
    static std::expected<XfrmSocket, Error> open();

    // NEWPOLICY: fails with EEXIST when the identity (dir, selector) is taken.
    std::expected<void, Error> add(const XfrmPolicy& policy);
    // UPDPOLICY: replaces the policy of that identity (creates it if absent);
    // the kernel keeps the old index.
    std::expected<void, Error> update(const XfrmPolicy& policy);
    // DELPOLICY by identity (dir + selector, type MAIN, no mark/if_id).
    std::expected<void, Error> remove(const XfrmPolicy& policy);
    // Up to max_requests_per_send requests in one sendmsg(), each asking for
    // an acknowledgement: one result per request, in order. The kernel
    // carries them out one after the other inside that sendmsg()
    // (xfrm_netlink_rcv, under the XFRM config mutex) and a refused request
    // does not stop the ones after it, so a caller that must stop at a
    // failure sends in chunks and looks at every result. The outer error is
    // a socket failure: then the outcome of the requests is unknown.
    std::expected<std::vector<std::expected<void, Error>>, Error> send(std::span<const XfrmRequest> requests);
    // Every policy of the namespace, winipsec's and foreign ones (ours()
    // tells them apart). Per-socket policies (IP_XFRM_POLICY, spec §4.5) are
    // not in the SPD and are left out.
    std::expected<std::vector<XfrmPolicy>, Error> dump();

private:
    explicit XfrmSocket(NetlinkSocket socket) : socket_(std::move(socket)) {}
    std::expected<void, Error> request(XfrmChange change, const XfrmPolicy& policy);

    NetlinkSocket socket_;
};

// Opens a socket and dumps (XfrmSocket::dump).
std::expected<std::vector<XfrmPolicy>, Error> dump_xfrm_policies();

}  // namespace winipsec::kernel
