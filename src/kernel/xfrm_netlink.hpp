#pragma once
// XFRM policies on the wire (NETLINK_XFRM, uapi linux/xfrm.h; spec
// linux-targets.md §4.1): one typed layer that builds and parses
// XFRM_MSG_NEWPOLICY / UPDPOLICY / DELPOLICY / GETPOLICY messages, so no
// caller pokes at xfrm_userpolicy_info bytes. Every request asks for an
// acknowledgement; a failure is Error::system with the errno text and the
// kernel's extended-ack reason ("Invalid policy direction", ...).
#include <expected>
#include <vector>

#include "import/error.hpp"
#include "kernel/netlink_socket.hpp"
#include "kernel/xfrm_policy.hpp"

namespace winipsec::kernel {

class XfrmSocket {
public:
    // A NETLINK_XFRM socket in the calling thread's network namespace.
    static std::expected<XfrmSocket, Error> open();

    // NEWPOLICY: fails with EEXIST when the identity (dir, selector) is taken.
    std::expected<void, Error> add(const XfrmPolicy& policy);
    // UPDPOLICY: replaces the policy of that identity (creates it if absent);
    // the kernel keeps the old index.
    std::expected<void, Error> update(const XfrmPolicy& policy);
    // DELPOLICY by identity (dir + selector, type MAIN, no mark/if_id).
    std::expected<void, Error> remove(const XfrmPolicy& policy);
    // Every policy of the namespace, winipsec's and foreign ones (ours()
    // tells them apart). Per-socket policies (IP_XFRM_POLICY, spec §4.5) are
    // not in the SPD and are left out.
    std::expected<std::vector<XfrmPolicy>, Error> dump();

private:
    explicit XfrmSocket(NetlinkSocket socket) : socket_(std::move(socket)) {}
    std::expected<void, Error> request(std::uint16_t type, const XfrmPolicy& policy, const char* what);

    NetlinkSocket socket_;
};

// Opens a socket and dumps (XfrmSocket::dump).
std::expected<std::vector<XfrmPolicy>, Error> dump_xfrm_policies();

}  // namespace winipsec::kernel
