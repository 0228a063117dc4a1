#pragma once
// The VICI message encoding (README "Message format"): a sequence of
// elements, each a type byte, then a name (u8 length + bytes) for
// SECTION_START, KEY_VALUE and LIST_START, then a value (u16 big-endian
// length + bytes) for KEY_VALUE and LIST_ITEM.
//
// The decoder reads bytes that come from another process, so it checks every
// length against what is left, refuses anything the README calls invalid
// (unbalanced sections, nested lists, items outside lists, key/values or
// sections inside lists, unknown element types) and bounds the nesting depth,
// and says where and why it stopped instead of throwing.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <vector>

#include "ike/vici_error.hpp"
#include "ike/vici_message.hpp"

namespace winipsec::ike {

using ViciBytes = std::vector<std::uint8_t>;

enum class ViciElement : std::uint8_t {
    SectionStart = 1,
    SectionEnd = 2,
    KeyValue = 3,
    ListStart = 4,
    ListItem = 5,
    ListEnd = 6,
};

inline constexpr std::size_t vici_name_max = 255;     // u8 length field
inline constexpr std::size_t vici_value_max = 65535;  // u16 length field

// Appends the encoding of `message` to `out`. Fails (Kind::TooLarge, naming
// the key's path, never its value) when a name or a value does not fit its
// length field; `out` is then left as it was.
std::expected<void, ViciError> encode_message(const ViciMessage& message, ViciBytes& out);
std::expected<ViciBytes, ViciError> encode_message(const ViciMessage& message);

struct ViciDecodeLimits {
    // Sections below the root. charon's deepest replies (child-rekey events:
    // IKE SA > child-sas > child > old/new) use 4.
    std::size_t max_depth = 32;
};

struct ViciDecodeError {
    std::size_t offset = 0;  // byte offset of the element that could not be read
    std::string reason;

    std::string describe() const;  // "at byte N: reason"
};

std::expected<ViciMessage, ViciDecodeError> decode_message(std::span<const std::uint8_t> bytes,
                                                           ViciDecodeLimits limits = {});

}  // namespace winipsec::ike
