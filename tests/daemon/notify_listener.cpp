// notify_listener: stands in for systemd's end of sd_notify in the daemon
// tests. Binds a datagram socket at PATH (what NOTIFY_SOCKET names) and
// prints one line per notification, "MILLISECONDS MESSAGE", newlines in the
// message shown as " | ", until killed.
//   notify_listener PATH
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fputs("usage: notify_listener PATH\n", stderr);
        return 2;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (std::strlen(argv[1]) >= sizeof address.sun_path) return 2;
    std::strcpy(address.sun_path, argv[1]);
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ::unlink(argv[1]);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        std::perror("notify_listener");
        return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    char buffer[4096];
    while (true) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) continue;
        std::string message(buffer, static_cast<std::size_t>(n));
        for (std::size_t at = 0; (at = message.find('\n', at)) != std::string::npos;) message.replace(at, 1, " | ");
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        std::printf("%lld %s\n", static_cast<long long>(ms), message.c_str());
        std::fflush(stdout);
    }
}
