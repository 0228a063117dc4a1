// packet_probe: send or await one packet, for namespace tests and the demo
// lab. Exit status 0 = it happened, 1 = it did not (timeout, refused), 2 = usage.
//   packet_probe send udp DST PORT [SPORT]     one datagram
//   packet_probe recv udp PORT TIMEOUT_MS      wait for one datagram
//   packet_probe connect tcp DST PORT TIMEOUT_MS [SPORT]
//   packet_probe accept tcp PORT TIMEOUT_MS
//   packet_probe send raw PROTO DST            one raw IPv4 packet of that protocol (e.g. 50 = ESP)
//   packet_probe recv raw PROTO TIMEOUT_MS
//   packet_probe flood udp DST PORT COUNT       COUNT datagrams as fast as possible; prints packets/s
// IPv6 destinations work for udp and tcp.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

bool address(const char* text, int port, sockaddr_storage& out, socklen_t& len) {
    std::memset(&out, 0, sizeof out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        len = sizeof *v6;
        return true;
    }
    return false;
}

bool wait_readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, timeout_ms) == 1;
}

int bind_any(int fd, int family, int port) {
    sockaddr_storage a{};
    socklen_t len = 0;
    if (!address(family == AF_INET ? "0.0.0.0" : "::", port, a, len)) return -1;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return bind(fd, reinterpret_cast<sockaddr*>(&a), len);
}

int usage() {
    std::fputs(
        "usage: packet_probe send udp DST PORT [SPORT] | recv udp PORT MS | connect tcp DST PORT MS [SPORT] |"
        " accept tcp PORT MS | send raw PROTO DST | recv raw PROTO MS\n",
        stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) return usage();
    const std::string verb = argv[1], kind = argv[2];
    if (verb == "send" && kind == "udp" && argc >= 5) {
        sockaddr_storage dst{};
        socklen_t len = 0;
        if (!address(argv[3], std::atoi(argv[4]), dst, len)) return usage();
        Fd s(socket(dst.ss_family, SOCK_DGRAM, 0));
        if (argc >= 6 && bind_any(s.fd, dst.ss_family, std::atoi(argv[5])) != 0) return 1;
        const char payload[] = "winipsec-probe";
        if (sendto(s.fd, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&dst), len) < 0) {
            std::printf("send failed: %s\n", std::strerror(errno));
            return 1;
        }
        return 0;
    }
    if (verb == "flood" && kind == "udp" && argc >= 6) {
        sockaddr_storage dst{};
        socklen_t len = 0;
        if (!address(argv[3], std::atoi(argv[4]), dst, len)) return usage();
        Fd s(socket(dst.ss_family, SOCK_DGRAM, 0));
        const long count = std::atol(argv[5]);
        const char payload[32] = "winipsec-bench";
        timespec t0{}, t1{};
        clock_gettime(CLOCK_MONOTONIC, &t0);
        long sent = 0;
        for (long i = 0; i < count; ++i)
            if (sendto(s.fd, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&dst), len) >= 0) ++sent;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        const double seconds =
            static_cast<double>(t1.tv_sec - t0.tv_sec) + static_cast<double>(t1.tv_nsec - t0.tv_nsec) / 1e9;
        std::printf("%.0f\n", static_cast<double>(sent) / seconds);
        return sent == count ? 0 : 1;
    }
    if (verb == "recv" && kind == "udp") {
        // Listen on both families through one v6 socket with v4-mapped addresses.
        Fd s(socket(AF_INET6, SOCK_DGRAM, 0));
        const int zero = 0;
        setsockopt(s.fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind_any(s.fd, AF_INET6, std::atoi(argv[3])) != 0) return 1;
        if (!wait_readable(s.fd, argc >= 5 ? std::atoi(argv[4]) : 1000)) return 1;
        char buf[2048];
        return recv(s.fd, buf, sizeof buf, 0) >= 0 ? 0 : 1;
    }
    if (verb == "connect" && kind == "tcp" && argc >= 6) {
        sockaddr_storage dst{};
        socklen_t len = 0;
        if (!address(argv[3], std::atoi(argv[4]), dst, len)) return usage();
        Fd s(socket(dst.ss_family, SOCK_STREAM, 0));
        if (argc >= 7 && bind_any(s.fd, dst.ss_family, std::atoi(argv[6])) != 0) return 1;
        fcntl(s.fd, F_SETFL, O_NONBLOCK);
        if (connect(s.fd, reinterpret_cast<sockaddr*>(&dst), len) == 0) return 0;
        if (errno != EINPROGRESS) return 1;
        pollfd p{s.fd, POLLOUT, 0};
        if (poll(&p, 1, std::atoi(argv[5])) != 1) return 1;
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &el);
        return err == 0 ? 0 : 1;
    }
    if (verb == "accept" && kind == "tcp") {
        Fd s(socket(AF_INET6, SOCK_STREAM, 0));
        const int zero = 0;
        setsockopt(s.fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind_any(s.fd, AF_INET6, std::atoi(argv[3])) != 0 || listen(s.fd, 4) != 0) return 1;
        if (!wait_readable(s.fd, argc >= 5 ? std::atoi(argv[4]) : 1000)) return 1;
        Fd c(accept(s.fd, nullptr, nullptr));
        return c.fd >= 0 ? 0 : 1;
    }
    if (verb == "send" && kind == "raw" && argc >= 5) {
        sockaddr_storage dst{};
        socklen_t len = 0;
        if (!address(argv[4], 0, dst, len) || dst.ss_family != AF_INET) return usage();
        Fd s(socket(AF_INET, SOCK_RAW, std::atoi(argv[3])));
        const char payload[] = "\0\0\0\1\0\0\0\1winipsec-probe";  // looks like an ESP header: SPI 1, seq 1
        return sendto(s.fd, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&dst), len) >= 0 ? 0 : 1;
    }
    if (verb == "recv" && kind == "raw") {
        Fd s(socket(AF_INET, SOCK_RAW, std::atoi(argv[3])));
        if (!wait_readable(s.fd, argc >= 5 ? std::atoi(argv[4]) : 1000)) return 1;
        char buf[2048];
        return recv(s.fd, buf, sizeof buf, 0) >= 0 ? 0 : 1;
    }
    return usage();
}
