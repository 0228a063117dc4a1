#include "model/ip_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace winipsec {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
    std::string s(text);
    IpAddress a;
    if (s.find(':') == std::string::npos) {
        a.family = IpFamily::V4;
        if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    } else {
        a.family = IpFamily::V6;
        if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    }
    return a;
}

IpAddress IpAddress::v4(std::uint32_t host_order) {
    IpAddress a;
    a.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
    a.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
    a.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
    a.bytes[3] = static_cast<std::uint8_t>(host_order);
    return a;
}

std::uint32_t IpAddress::v4_value() const {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
           std::uint32_t{bytes[3]};
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family == IpFamily::V4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
    return buf;
}

std::optional<int> IpAddress::mask_prefix_length() const {
    const int width = bit_width();
    int prefix = 0;
    bool in_ones = true;
    for (int bit = 0; bit < width; ++bit) {
        const bool set = (bytes[bit / 8] >> (7 - bit % 8)) & 1;
        if (set && !in_ones) return std::nullopt;
        if (!set) in_ones = false;
        if (set) ++prefix;
    }
    return prefix;
}

IpAddress IpAddress::mask_of(IpFamily family, int prefix_length) {
    IpAddress m{family, {}};
    for (int bit = 0; bit < prefix_length; ++bit) m.bytes[bit / 8] |= static_cast<std::uint8_t>(0x80 >> (bit % 8));
    return m;
}

IpAddress IpAddress::masked(int prefix_length) const {
    IpAddress out = *this;
    const int width = bit_width();
    if (prefix_length >= width) return out;
    const int full = prefix_length / 8;
    if (prefix_length % 8) out.bytes[full] &= static_cast<std::uint8_t>(0xFF << (8 - prefix_length % 8));
    for (int i = full + (prefix_length % 8 ? 1 : 0); i < 16; ++i) out.bytes[i] = 0;
    return out;
}

}  // namespace winipsec
