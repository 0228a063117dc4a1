#include "ike/vici_stream.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "ike/vici_packet.hpp"

namespace winipsec::ike {
namespace {

int remaining_ms(ViciClock::time_point deadline) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - ViciClock::now()).count();
    if (left <= 0) return 0;
    return left > 1'000'000 ? 1'000'000 : static_cast<int>(left);
}

ViciError connect_error(const std::string& path, int error) {
    switch (error) {
        case ENOENT:
            return ViciError::make(ViciError::Kind::Connect,
                                   fmt::format("no VICI socket at {}: is charon running with the vici plugin?", path));
        case ECONNREFUSED:
            return ViciError::make(ViciError::Kind::Connect,
                                   fmt::format("nothing listens on {} (charon stopped and left its socket?)", path));
        case EACCES:
        case EPERM:
            return ViciError::make(ViciError::Kind::Connect,
                                   fmt::format("no permission to connect to {} (charon's socket needs root)", path));
        default:
            return ViciError::make(ViciError::Kind::Connect,
                                   fmt::format("cannot connect to {}: {}", path, std::strerror(error)));
    }
}

}  // namespace

std::expected<ViciStream, ViciError> ViciStream::connect(const std::string& path, ViciClock::time_point deadline) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path))
        return std::unexpected(
            ViciError::make(ViciError::Kind::Connect, fmt::format("VICI socket path too long: {}", path)));
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return std::unexpected(ViciError::make(ViciError::Kind::Connect,
                                               fmt::format("cannot create a UNIX socket: {}", std::strerror(errno))));
    ViciStream stream(fd, path);
    while (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        if (errno == EINTR) continue;
        // A full listen backlog answers EAGAIN on a non-blocking UNIX socket:
        // charon is busy accepting, so try again until the deadline.
        if (errno == EAGAIN && remaining_ms(deadline) > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
        }
        if (errno == EAGAIN)
            return std::unexpected(ViciError::make(
                ViciError::Kind::Timeout, fmt::format("charon did not accept a connection on {} in time", path)));
        return std::unexpected(connect_error(path, errno));
    }
    return stream;
}

ViciStream::ViciStream(ViciStream&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

ViciStream& ViciStream::operator=(ViciStream&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        other.fd_ = -1;
    }
    return *this;
}

ViciStream::~ViciStream() {
    if (fd_ >= 0) ::close(fd_);
}

std::expected<bool, ViciError> ViciStream::wait_readable(ViciClock::time_point deadline) {
    while (true) {
        pollfd entry{fd_, POLLIN, 0};
        int ready = ::poll(&entry, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0)
            return std::unexpected(
                ViciError::make(ViciError::Kind::Io, fmt::format("poll on {}: {}", path_, std::strerror(errno))));
        return ready > 0;
    }
}

std::expected<void, ViciError> ViciStream::write_segment(std::span<const std::uint8_t> segment,
                                                         ViciClock::time_point deadline) {
    std::size_t done = 0;
    while (done < segment.size()) {
        ssize_t sent = ::send(fd_, segment.data() + done, segment.size() - done, MSG_NOSIGNAL);
        if (sent > 0) {
            done += static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && errno == EAGAIN) {
            pollfd entry{fd_, POLLOUT, 0};
            int ready = ::poll(&entry, 1, remaining_ms(deadline));
            if (ready == 0)
                return std::unexpected(ViciError::make(
                    ViciError::Kind::Timeout, fmt::format("charon did not read our request on {} in time", path_)));
            continue;
        }
        if (errno == EPIPE || errno == ECONNRESET)
            return std::unexpected(
                ViciError::make(ViciError::Kind::Io, fmt::format("charon closed the VICI connection on {}", path_)));
        return std::unexpected(
            ViciError::make(ViciError::Kind::Io, fmt::format("write to {}: {}", path_, std::strerror(errno))));
    }
    return {};
}

std::expected<void, ViciError> ViciStream::read_exact(std::uint8_t* into, std::size_t length,
                                                      ViciClock::time_point deadline, bool segment_started) {
    std::size_t done = 0;
    while (done < length) {
        ssize_t got = ::recv(fd_, into + done, length - done, 0);
        if (got > 0) {
            done += static_cast<std::size_t>(got);
            segment_started = true;
            continue;
        }
        if (got == 0)
            return std::unexpected(ViciError::make(
                ViciError::Kind::Io, segment_started
                                         ? fmt::format("charon closed the VICI connection on {} mid-message", path_)
                                         : fmt::format("charon closed the VICI connection on {}", path_)));
        if (errno == EINTR) continue;
        if (errno != EAGAIN)
            return std::unexpected(
                ViciError::make(ViciError::Kind::Io, fmt::format("read from {}: {}", path_, std::strerror(errno))));
        auto readable = wait_readable(deadline);
        if (!readable) return std::unexpected(readable.error());
        if (!*readable)
            return std::unexpected(ViciError::make(
                ViciError::Kind::Timeout, segment_started ? fmt::format("charon stopped mid-message on {}", path_)
                                                          : fmt::format("no reply from charon on {}", path_)));
    }
    return {};
}

std::expected<ViciBytes, ViciError> ViciStream::read_segment(ViciClock::time_point deadline) {
    std::array<std::uint8_t, vici_segment_header> header{};
    if (auto ok = read_exact(header.data(), header.size(), deadline, false); !ok) return std::unexpected(ok.error());
    auto length = segment_length(header);
    if (!length) return std::unexpected(length.error());
    ViciBytes payload(*length);
    if (auto ok = read_exact(payload.data(), payload.size(), deadline, true); !ok) return std::unexpected(ok.error());
    return payload;
}

}  // namespace winipsec::ike
