#include "plan/prefix.hpp"

#include <fmt/format.h>

namespace winipsec::plan {

bool Prefix::contains(const IpAddress& a) const {
    return a.family == address.family && a.masked(length) == address;
}

bool Prefix::contains(const Prefix& other) const {
    return other.family() == family() && other.length >= length && other.address.masked(length) == address;
}

std::string Prefix::to_string() const {
    if (length == address.bit_width()) return address.to_string();
    return fmt::format("{}/{}", address.to_string(), length);
}

namespace {

// Arithmetic on addresses as big-endian byte strings.
bool bit(const IpAddress& a, int i) {
    return (a.bytes[i / 8] >> (7 - i % 8)) & 1;
}

IpAddress add_one(IpAddress a) {
    for (int i = a.bit_width() / 8 - 1; i >= 0; --i)
        if (++a.bytes[i] != 0) break;
    return a;
}

// Host part of `a` under `length` is all ones.
bool host_all_ones(const IpAddress& a, int length) {
    for (int i = length; i < a.bit_width(); ++i)
        if (!bit(a, i)) return false;
    return true;
}

bool is_max(const IpAddress& a) {
    return host_all_ones(a, 0);
}

}  // namespace

std::vector<Prefix> range_to_prefixes(const IpAddress& first, const IpAddress& last) {
    std::vector<Prefix> out;
    if (first.family != last.family || last < first) return out;
    IpAddress cur = first;
    const int width = first.bit_width();
    while (true) {
        // Largest aligned block starting at cur that does not pass last.
        int length = width;
        while (length > 0) {
            const int candidate = length - 1;
            if (cur.masked(candidate) != cur) break;  // not aligned
            IpAddress block_last = cur;
            for (int i = candidate; i < width; ++i)
                block_last.bytes[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
            if (last < block_last) break;
            length = candidate;
        }
        out.push_back({cur, length});
        IpAddress block_last = cur;
        for (int i = length; i < width; ++i) block_last.bytes[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
        if (block_last == last || is_max(block_last)) break;
        cur = add_one(block_last);
    }
    return out;
}

}  // namespace winipsec::plan
