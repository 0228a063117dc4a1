#include "kernel/xfrm_policy.hpp"

#include <fmt/format.h>

namespace winipsec::kernel {

const char* to_string(XfrmDir dir) {
    switch (dir) {
        case XfrmDir::In: return "in";
        case XfrmDir::Out: return "out";
        case XfrmDir::Fwd: return "fwd";
    }
    return "?";
}

const char* to_string(XfrmAction action) {
    return action == XfrmAction::Block ? "block" : "allow";
}
const char* to_string(XfrmProto proto) {
    switch (proto) {
        case XfrmProto::Esp: return "esp";
        case XfrmProto::Ah: return "ah";
        case XfrmProto::Comp: return "comp";
    }
    return "?";
}

const char* to_string(XfrmMode mode) {
    switch (mode) {
        case XfrmMode::Transport: return "transport";
        case XfrmMode::Tunnel: return "tunnel";
        case XfrmMode::Beet: return "beet";
    }
    return "?";
}

XfrmSelector XfrmSelector::make(const plan::Prefix& source, const plan::Prefix& destination, std::uint8_t protocol,
                                std::uint16_t source_port, std::uint16_t destination_port) {
    XfrmSelector s;
    s.source = source;
    s.destination = destination;
    s.protocol = protocol;
    s.source_port = source_port;
    s.destination_port = destination_port;
    return s.canonical();
}

XfrmSelector XfrmSelector::canonical() const {
    XfrmSelector s = *this;
    // The kernel memcmp()s selectors (spec §4.2): 192.0.2.7/24 and
    // 192.0.2.0/24 are two policies, so host bits must go.
    s.source = plan::Prefix::of(source.address, source.length);
    s.destination = plan::Prefix::of(destination.address, destination.length);
    // A port without a mask matches nothing special and a mask without a port
    // is a different identity for the same packets; winipsec only uses exact
    // ports (Windows filters have no ranges, spec §8.2).
    s.source_port_mask = source_port != 0 ? 0xffff : 0;
    s.destination_port_mask = destination_port != 0 ? 0xffff : 0;
    return s;
}

namespace {

// Names only where iproute2 cannot read them differently; numbers otherwise
// (it accepts both, names through /etc/protocols).
std::string protocol_text(std::uint8_t protocol) {
    switch (protocol) {
        case 1: return "icmp";
        case 6: return "tcp";
        case 17: return "udp";
        default: return std::to_string(protocol);
    }
}

std::string port_text(const char* keyword, std::uint16_t port, std::uint16_t mask) {
    if (mask == 0) return {};
    // `ip xfrm` has no syntax for partial port masks; such a selector (only
    // ever foreign) is shown with its port and the mask in a comment-like tail.
    if (mask == 0xffff) return fmt::format(" {} {}", keyword, port);
    return fmt::format(" {} {} (mask {:#x})", keyword, port, mask);
}

}  // namespace

std::string XfrmSelector::to_string() const {
    std::string s = fmt::format("src {}/{} dst {}/{}", source.address.to_string(), source.length,
                                destination.address.to_string(), destination.length);
    if (protocol != 0) s += " proto " + protocol_text(protocol);
    // For ICMP and ICMPv6 the kernel's flow carries type and code in the
    // port fields, and iproute2 spells them `type`/`code`.
    const bool icmp = protocol == 1 || protocol == 58;
    s += port_text(icmp ? "type" : "sport", source_port, source_port_mask);
    s += port_text(icmp ? "code" : "dport", destination_port, destination_port_mask);
    if (ifindex != 0) s += fmt::format(" ifindex {}", ifindex);
    return s;
}

bool XfrmPolicy::ours() const {
    // Both markers: a policy charon overwrote with UPDPOLICY keeps our index
    // (the kernel keeps the old index) but gets charon's priority (>= 68541
    // unless configured), and from then on charon owns it (spec §4.8).
    return !foreign_keys && is_xfrm_index_ours(index) && is_xfrm_priority_ours(priority);
}

}  // namespace winipsec::kernel
