#pragma once
// A connected UNIX stream socket to charon that moves whole VICI segments,
// each with a deadline. The descriptor is non-blocking and every wait goes
// through poll(), so a silent daemon costs at most the caller's deadline.
#include <chrono>
#include <expected>
#include <span>
#include <string>

#include "ike/vici_codec.hpp"
#include "ike/vici_error.hpp"

namespace winipsec::ike {

using ViciClock = std::chrono::steady_clock;

class ViciStream {
public:
    // Connects to the socket at `path` (see vici_socket_path()).
    static std::expected<ViciStream, ViciError> connect(const std::string& path, ViciClock::time_point deadline);

    ViciStream(ViciStream&& other) noexcept;
    ViciStream& operator=(ViciStream&& other) noexcept;
    ViciStream(const ViciStream&) = delete;
    ViciStream& operator=(const ViciStream&) = delete;
    ~ViciStream();

    // Writes a complete segment (header included, as frame_packet() makes it).
    std::expected<void, ViciError> write_segment(std::span<const std::uint8_t> segment, ViciClock::time_point deadline);

    // Reads one segment and returns its payload (header removed). Kind::Timeout
    // when no complete segment arrived by the deadline (the stream is then in
    // the middle of a segment or waiting for one: the caller must not reuse it),
    // Kind::TooLarge over the 512 KiB cap, Kind::Io when charon closed it.
    std::expected<ViciBytes, ViciError> read_segment(ViciClock::time_point deadline);

    // Waits until bytes are readable or the deadline passes; false on timeout.
    std::expected<bool, ViciError> wait_readable(ViciClock::time_point deadline);

private:
    explicit ViciStream(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    std::expected<void, ViciError> read_exact(std::uint8_t* into, std::size_t length, ViciClock::time_point deadline,
                                              bool segment_started);

    int fd_ = -1;
    std::string path_;
};

}  // namespace winipsec::ike
