#include "plan/local_addresses.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace winipsec::plan {

std::expected<std::vector<IpAddress>, Error> local_unicast_addresses() {
    ifaddrs* raw = nullptr;
    if (getifaddrs(&raw) != 0)
        return std::unexpected(Error::system(fmt::format("cannot list local addresses: {}", std::strerror(errno))));
    std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> list(raw, freeifaddrs);
    std::vector<IpAddress> out;
    for (const ifaddrs* it = list.get(); it; it = it->ifa_next) {
        if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET) continue;
        const auto* sin = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
        const IpAddress a = IpAddress::v4(ntohl(sin->sin_addr.s_addr));
        if (a.bytes[0] == 127) continue;
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace winipsec::plan
