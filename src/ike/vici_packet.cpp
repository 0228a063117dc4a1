#include "ike/vici_packet.hpp"

#include <fmt/format.h>

namespace winipsec::ike {

bool has_name(ViciPacketType type) {
    return type == ViciPacketType::CmdRequest || type == ViciPacketType::EventRegister ||
           type == ViciPacketType::EventUnregister || type == ViciPacketType::Event;
}

bool has_message(ViciPacketType type) {
    return type == ViciPacketType::CmdRequest || type == ViciPacketType::CmdResponse || type == ViciPacketType::Event;
}

std::string_view packet_type_name(ViciPacketType type) {
    switch (type) {
        case ViciPacketType::CmdRequest: return "CMD_REQUEST";
        case ViciPacketType::CmdResponse: return "CMD_RESPONSE";
        case ViciPacketType::CmdUnknown: return "CMD_UNKNOWN";
        case ViciPacketType::EventRegister: return "EVENT_REGISTER";
        case ViciPacketType::EventUnregister: return "EVENT_UNREGISTER";
        case ViciPacketType::EventConfirm: return "EVENT_CONFIRM";
        case ViciPacketType::EventUnknown: return "EVENT_UNKNOWN";
        case ViciPacketType::Event: return "EVENT";
    }
    return "unknown packet type";
}

std::expected<ViciBytes, ViciError> frame_packet(const ViciPacket& packet) {
    if (!has_name(packet.type) && !packet.name.empty())
        return std::unexpected(ViciError::make(ViciError::Kind::Malformed,
                                               fmt::format("{} packets carry no name", packet_type_name(packet.type))));
    if (!has_message(packet.type) && !packet.message.empty())
        return std::unexpected(ViciError::make(
            ViciError::Kind::Malformed, fmt::format("{} packets carry no message", packet_type_name(packet.type))));
    if (packet.name.size() > vici_name_max)
        return std::unexpected(ViciError::make(
            ViciError::Kind::TooLarge, fmt::format("VICI {} name is {} bytes; names are limited to {}",
                                                   packet_type_name(packet.type), packet.name.size(), vici_name_max)));
    std::size_t length = 1 + (has_name(packet.type) ? 1 + packet.name.size() : 0) + packet.message.size();
    if (length > vici_segment_max)
        return std::unexpected(ViciError::make(
            ViciError::Kind::TooLarge,
            fmt::format("VICI {} '{}' would be {} bytes; charon accepts at most {} (512 KiB) per message",
                        packet_type_name(packet.type), packet.name, length, vici_segment_max)));

    ViciBytes segment;
    segment.reserve(vici_segment_header + length);
    for (int shift = 24; shift >= 0; shift -= 8) segment.push_back(static_cast<std::uint8_t>(length >> shift));
    segment.push_back(static_cast<std::uint8_t>(packet.type));
    if (has_name(packet.type)) {
        segment.push_back(static_cast<std::uint8_t>(packet.name.size()));
        segment.insert(segment.end(), packet.name.begin(), packet.name.end());
    }
    segment.insert(segment.end(), packet.message.begin(), packet.message.end());
    return segment;
}

std::expected<std::size_t, ViciError> segment_length(std::span<const std::uint8_t, vici_segment_header> header) {
    std::size_t length = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                         (std::size_t{header[2]} << 8) | std::size_t{header[3]};
    if (length > vici_segment_max)
        return std::unexpected(ViciError::make(
            ViciError::Kind::TooLarge, fmt::format("VICI segment announces {} bytes, over the {} byte (512 KiB) limit",
                                                   length, vici_segment_max)));
    return length;
}

std::expected<ViciPacket, ViciError> parse_packet(std::span<const std::uint8_t> payload) {
    auto malformed = [](std::string text) {
        return std::unexpected(ViciError::make(ViciError::Kind::Malformed, "malformed VICI packet: " + text));
    };
    if (payload.empty()) return malformed("empty segment");
    if (payload[0] > static_cast<std::uint8_t>(ViciPacketType::Event))
        return malformed(fmt::format("unknown packet type {}", payload[0]));

    ViciPacket packet;
    packet.type = static_cast<ViciPacketType>(payload[0]);
    std::size_t pos = 1;
    if (has_name(packet.type)) {
        if (pos >= payload.size()) return malformed(fmt::format("{} without a name", packet_type_name(packet.type)));
        std::size_t length = payload[pos++];
        if (length > payload.size() - pos)
            return malformed(fmt::format("{} name of {} bytes runs past the end ({} left)",
                                         packet_type_name(packet.type), length, payload.size() - pos));
        packet.name.assign(reinterpret_cast<const char*>(payload.data() + pos), length);
        pos += length;
    }
    if (has_message(packet.type))
        packet.message.assign(payload.begin() + static_cast<std::ptrdiff_t>(pos), payload.end());
    else if (pos != payload.size())
        return malformed(
            fmt::format("{} with {} unexpected trailing bytes", packet_type_name(packet.type), payload.size() - pos));
    return packet;
}

}  // namespace winipsec::ike
