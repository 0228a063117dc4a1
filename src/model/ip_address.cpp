#include "model/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace winipsec {

namespace {

// inet_pton(AF_INET) to the letter (glibc's inet_pton4): four decimal octets
// 0-255, no leading zeros, nothing else. Done by hand because every filter of
// a script goes through here, and the copy to a C string cost more than the
// parse.
bool parse_v4(std::string_view text, std::uint8_t* out) {
    std::array<std::uint8_t, 4> octets{};
    std::size_t slot = 0;   // the octet being read
    std::size_t count = 0;  // octets begun
    bool digit_seen = false;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            const unsigned value = octets[slot] * 10u + static_cast<unsigned>(c - '0');
            if (digit_seen && octets[slot] == 0) return false;  // a leading zero
            if (value > 255) return false;
            octets[slot] = static_cast<std::uint8_t>(value);
            if (!digit_seen) {
                if (++count > 4) return false;
                digit_seen = true;
            }
        } else if (c == '.' && digit_seen) {
            if (count == 4) return false;
            octets[++slot] = 0;
            digit_seen = false;
        } else {
            return false;
        }
    }
    if (count < 4) return false;
    std::copy(octets.begin(), octets.end(), out);
    return true;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
    IpAddress a;
    // inet_pton reads a C string: an embedded NUL ends the text.
    const std::string_view c_text = text.substr(0, text.find('\0'));
    if (text.find(':') == std::string_view::npos) {
        a.family = IpFamily::V4;
        if (!parse_v4(c_text, a.bytes.data())) return std::nullopt;
    } else {
        a.family = IpFamily::V6;
        char s[INET6_ADDRSTRLEN + 1] = {};
        std::copy(c_text.begin(), c_text.end(), s);
        if (inet_pton(AF_INET6, s, a.bytes.data()) != 1) return std::nullopt;
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
    if (family == IpFamily::V4) {  // inet_ntop's "%u.%u.%u.%u", without printf
        std::string out;
        out.reserve(15);
        for (int i = 0; i < 4; ++i) {
            if (i > 0) out += '.';
            const unsigned b = bytes[static_cast<std::size_t>(i)];
            if (b >= 100) out += static_cast<char>('0' + b / 100);
            if (b >= 10) out += static_cast<char>('0' + b / 10 % 10);
            out += static_cast<char>('0' + b % 10);
        }
        return out;
    }
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
