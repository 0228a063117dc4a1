// resolve_dns_name(): a filter that names a host by DNS name stands for the
// addresses the name had when the filter was created, one filter per address
// (spec §8.3, §3.3 "DNS name"). We look the name up once per plan, through
// the host's own resolver (nsswitch: /etc/hosts, DNS, ...), as Windows did.
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "plan/host_facts.hpp"

namespace winipsec::plan {

std::expected<std::vector<IpAddress>, std::string> resolve_dns_name(const std::string& name) {
    if (name.empty()) return std::unexpected(std::string("cannot resolve an empty name"));

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;  // A and AAAA: a filter may be IPv4 or IPv6
    // One entry per address, not one per socket type.
    hints.ai_socktype = SOCK_STREAM;
    // No AI_ADDRCONFIG: the policy describes the host's traffic, not only the
    // families configured at the moment of translation (and AI_ADDRCONFIG
    // would hide ::1 for "localhost" on an IPv4-only host).
    hints.ai_flags = 0;

    addrinfo* raw = nullptr;
    const int status = getaddrinfo(name.c_str(), nullptr, &hints, &raw);
    if (status != 0) {
        const char* reason = status == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(status);
        return std::unexpected(fmt::format("cannot resolve '{}': {}", name, reason));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(raw, freeaddrinfo);

    std::vector<IpAddress> addresses;
    for (const addrinfo* it = list.get(); it; it = it->ai_next) {
        IpAddress address;
        if (it->ai_family == AF_INET && it->ai_addrlen >= sizeof(sockaddr_in)) {
            sockaddr_in socket_address;
            std::memcpy(&socket_address, it->ai_addr, sizeof socket_address);
            address.family = IpFamily::V4;
            std::memcpy(address.bytes.data(), &socket_address.sin_addr, 4);
        } else if (it->ai_family == AF_INET6 && it->ai_addrlen >= sizeof(sockaddr_in6)) {
            sockaddr_in6 socket_address;
            std::memcpy(&socket_address, it->ai_addr, sizeof socket_address);
            address.family = IpFamily::V6;
            // The scope id of a link-local answer is dropped: selectors carry none.
            std::memcpy(address.bytes.data(), &socket_address.sin6_addr, 16);
        } else {
            continue;
        }
        addresses.push_back(address);
    }
    std::sort(addresses.begin(), addresses.end());
    addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
    if (addresses.empty()) return std::unexpected(fmt::format("cannot resolve '{}': no IPv4 or IPv6 address", name));
    return addresses;
}

}  // namespace winipsec::plan
