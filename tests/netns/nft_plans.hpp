#pragma once
// Policies the nftables namespace tests share. Addresses: 192.0.2.0/24 and
// 2001:db8::/32 (documentation ranges); `me` is 192.0.2.2 / 2001:db8::2, the
// b side of LinkedPair.
#include "tests/netns/nft_netns.hpp"

namespace winipsec::test::netns {

inline constexpr std::uint8_t tcp = 6, udp = 17, icmp = 1;

inline plan::PlanOptions options_for_b() {
    return options_with_me({"192.0.2.2", "2001:db8::2"});
}

// KB 813878 (spec E3): block UDP 1434 inbound to me and outbound from me.
inline StoreBuilder kb813878() {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .filter("In1434", {.src = "any", .dst = "me", .protocol = udp, .dport = 1434, .mirrored = false})
        .filter("Out1434", {.src = "me", .dst = "any", .protocol = udp, .dport = 1434, .mirrored = false})
        .rule("Block Inbound UDP 1434 Rule", "In1434", "Block")
        .rule("Block Outbound UDP 1434 Rule", "Out1434", "Block");
    return b;
}

// Block everything to and from me, except UDP to/from local port 5000
// (E2-style: the more specific permit wins).
inline StoreBuilder block_all_but_udp_5000() {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("Udp5000", {.src = "any", .dst = "me", .protocol = udp, .dport = 5000})
        .rule("Block all", "All", "Block")
        .rule("Allow UDP 5000", "Udp5000", "Permit");
    return b;
}

// Something of every shape the encoder knows: negotiate with and without
// inpass, subnets (masked keys), ports without protocol,
// a protocol-only class, IPv6 with ports, a block-all.
inline StoreBuilder every_shape() {
    StoreBuilder b;
    b.action("Block", ActionKind::Block)
        .action("Permit", ActionKind::Permit)
        .action("Secure", ActionKind::Negotiate)
        .action("Inpass", ActionKind::Negotiate, true)
        .filter("All", {.src = "any", .dst = "me"})
        .filter("Rdp", {.src = "any", .dst = "me", .protocol = tcp, .dport = 3389})
        .filter("Lan", {.src = "me", .dst = "10.1.0.0/16"})
        .filter("Web", {.src = "me", .dst = "any", .protocol = tcp, .sport = 80})
        .filter("Subnets", {.src = "10.2.0.0/16", .dst = "any", .mirrored = false})
        .filter("Subnets", {.src = "10.3.0.0/16", .dst = "any", .mirrored = false})
        .filter("Subnets", {.src = "10.8.0.0/16", .dst = "any", .mirrored = false})
        .filter("AnyProtoPort", {.src = "any", .dst = "me", .dport = 8080})
        .filter("Icmp", {.src = "any", .dst = "any", .protocol = icmp})
        .filter("V6Dns", {.src = "2001:db8:1::/48", .dst = "me", .protocol = udp, .dport = 53})
        .rule("Block all", "All", "Block")
        .rule("RDP", "Rdp", "Permit")
        .rule("Secure LAN", "Lan", "Secure")
        .rule("Web server", "Web", "Inpass")
        .rule("Partners", "Subnets", "Permit")
        .rule("Proxy", "AnyProtoPort", "Block")
        .rule("Ping", "Icmp", "Permit")
        .rule("DNS v6", "V6Dns", "Permit");
    return b;
}

}  // namespace winipsec::test::netns
