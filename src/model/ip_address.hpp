#pragma once
// An IPv4 or IPv6 address as bytes, plus prefix arithmetic. Windows filters are
// mask-based; winipsec only accepts contiguous masks (kernel selectors and nft
// intervals cannot express others), so a mask is carried as a prefix length.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace winipsec {

enum class IpFamily : std::uint8_t { V4, V6 };

struct IpAddress {
    IpFamily family = IpFamily::V4;
    std::array<std::uint8_t, 16> bytes{};  // v4 uses bytes[0..3]

    static std::optional<IpAddress> parse(std::string_view text);
    static IpAddress v4(std::uint32_t host_order);
    static IpAddress any(IpFamily family) { return IpAddress{family, {}}; }

    int bit_width() const { return family == IpFamily::V4 ? 32 : 128; }
    std::uint32_t v4_value() const;  // host byte order; V4 only
    std::string to_string() const;

    // The prefix length a dotted mask spells, or nullopt when the mask is not
    // contiguous (e.g. 255.0.255.0).
    std::optional<int> mask_prefix_length() const;
    static IpAddress mask_of(IpFamily family, int prefix_length);

    IpAddress masked(int prefix_length) const;
    bool has_host_bits(int prefix_length) const { return masked(prefix_length) != *this; }

    auto operator<=>(const IpAddress&) const = default;
};

}  // namespace winipsec
