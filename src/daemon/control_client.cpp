#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "daemon/control_protocol.hpp"

namespace winipsec::control {

namespace {

struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

std::expected<nlohmann::json, Error> control_request(const std::string& socket_path, std::string_view command,
                                                     std::chrono::milliseconds timeout) {
    auto fail = [&](std::string what) {
        return std::unexpected(Error::system(fmt::format("winipsecd at {}: {}", socket_path, what)));
    };
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof address.sun_path) return fail("socket path too long");
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    Socket s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (s.fd < 0) return fail(std::strerror(errno));
    if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int e = errno;
        if (e == ENOENT || e == ECONNREFUSED) return fail("not running (no control socket)");
        if (e == EACCES || e == EPERM) return fail("permission denied (the control socket is root's)");
        return fail(std::strerror(e));
    }
    const std::string line = std::string(command) + "\n";
    if (::send(s.fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
        return fail(std::strerror(errno));
    ::shutdown(s.fd, SHUT_WR);
    std::string reply;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[65536];
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return fail("no answer in time");
        pollfd p{s.fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return fail("no answer in time");
        const ssize_t n = ::recv(s.fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(std::strerror(errno));
        if (n == 0) break;
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    auto json = nlohmann::json::parse(reply, nullptr, false);
    if (json.is_discarded())
        return fail(reply.empty() ? "closed the connection without an answer" : "unreadable answer");
    return json;
}

}  // namespace winipsec::control
