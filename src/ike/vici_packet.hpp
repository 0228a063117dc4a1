#pragma once
// The two outer layers of VICI (README "Transport protocol", "Packet layer"):
// every segment on the stream is a 32-bit big-endian length (not counting
// itself) and that many bytes; the first byte is the packet type, named types
// then carry an 8-bit length and an ASCII name, and the rest is the encoded
// message for the types that carry one.
//
// Segments are capped at 512 KiB of data (VICI_MESSAGE_SIZE_MAX in charon's
// vici_socket.h). charon drops the connection on a longer inbound segment and
// silently discards a longer reply of its own, so we refuse to build one and
// refuse to read one.
#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>

#include "ike/vici_codec.hpp"
#include "ike/vici_error.hpp"

namespace winipsec::ike {

enum class ViciPacketType : std::uint8_t {
    CmdRequest = 0,
    CmdResponse = 1,
    CmdUnknown = 2,
    EventRegister = 3,
    EventUnregister = 4,
    EventConfirm = 5,
    EventUnknown = 6,
    Event = 7,
};

inline constexpr std::size_t vici_segment_max = 512 * 1024;
inline constexpr std::size_t vici_segment_header = 4;

bool has_name(ViciPacketType type);
bool has_message(ViciPacketType type);
std::string_view packet_type_name(ViciPacketType type);  // "CMD_REQUEST", ...

struct ViciPacket {
    ViciPacketType type = ViciPacketType::CmdRequest;
    std::string name;   // command or event name, for the named types
    ViciBytes message;  // encoded message, for the types that carry one
};

// The complete segment (length header included) ready to write. Fails with
// Kind::TooLarge over the cap or for a name over 255 bytes, and with
// Kind::Malformed when the type takes no name/message but one was given.
std::expected<ViciBytes, ViciError> frame_packet(const ViciPacket& packet);

// The payload length a segment header announces; Kind::TooLarge over the cap.
std::expected<std::size_t, ViciError> segment_length(std::span<const std::uint8_t, vici_segment_header> header);

// Splits a segment's payload (without the header) into a packet. Strict: an
// unknown type, a name running past the end, or trailing bytes after a type
// that carries no message are Kind::Malformed.
std::expected<ViciPacket, ViciError> parse_packet(std::span<const std::uint8_t> payload);

}  // namespace winipsec::ike
