#include "daemon/control_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace winipsec::daemon {

ControlConnection::~ControlConnection() {
    if (fd_ >= 0) ::close(fd_);
}

bool ControlConnection::peer_is_root() const {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd_, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
    return cred.uid == 0;
}

std::optional<std::string> ControlConnection::read_command() {
    std::string line;
    char c = 0;
    while (line.size() < 256) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, 1000);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        const ssize_t n = ::recv(fd_, &c, 1, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || c == '\n') break;
        line += c;
    }
    if (line.empty()) return std::nullopt;
    return line;
}

void ControlConnection::reply(const nlohmann::json& answer) {
    const std::string text = answer.dump(2) + "\n";
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::send(fd_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the client went away; nothing to tell it
        done += static_cast<std::size_t>(n);
    }
}

std::expected<ControlSocket, std::string> ControlSocket::listen(const std::filesystem::path& path) {
    auto fail = [&](const char* what) {
        return std::unexpected(fmt::format("control socket {}: {}: {}", path.string(), what, std::strerror(errno)));
    };
    std::error_code ec;
    const auto dir = path.parent_path();
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) return std::unexpected(fmt::format("control socket {}: {}", dir.string(), ec.message()));
        ::chmod(dir.c_str(), 0700);
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.string().size() >= sizeof address.sun_path)
        return std::unexpected(fmt::format("control socket {}: path too long", path.string()));
    std::memcpy(address.sun_path, path.c_str(), path.string().size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return fail("socket");
    ControlSocket s(fd, path);
    ::unlink(path.c_str());  // a previous instance's (a socket file outlives its process)
    // Created 0600 under this umask, not chmod-ed afterwards: no moment in
    // which someone else could connect.
    const mode_t old = ::umask(0177);
    const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::umask(old);
    if (bound != 0) return fail("bind");
    if (::listen(fd, 8) != 0) return fail("listen");
    return s;
}

ControlSocket::~ControlSocket() {
    if (fd_ < 0) return;
    ::close(fd_);
    ::unlink(path_.c_str());
}

std::optional<ControlConnection> ControlSocket::accept() {
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return std::nullopt;
    return ControlConnection(fd);
}

}  // namespace winipsec::daemon
