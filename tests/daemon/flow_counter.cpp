// flow_counter: a steady UDP flow and its count, for the zero-gap test.
//   flow_counter send DST PORT SPORT RATE   send RATE datagrams/s until SIGTERM,
//                                           then print "SENT ATTEMPTED"
//   flow_counter recv PORT                  count datagrams until SIGTERM, print the count
// A datagram the kernel refused (EPERM from an nft drop in the output hook,
// ENOBUFS) is attempted but not sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

volatile sig_atomic_t stop = 0;
void on_signal(int) {
    stop = 1;
}

int usage() {
    std::fputs("usage: flow_counter send DST PORT SPORT RATE | recv PORT\n", stderr);
    return 2;
}

int send_flow(const char* dst, int port, int sport, long rate) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(static_cast<uint16_t>(sport));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return 1;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, dst, &to.sin_addr) != 1) return usage();
    long sent = 0, attempted = 0;
    timespec next{};
    clock_gettime(CLOCK_MONOTONIC, &next);
    const long step_ns = 1'000'000'000L / rate;
    char payload[32] = "winipsec zero-gap";
    while (!stop) {
        ++attempted;
        if (::sendto(fd, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) > 0) ++sent;
        next.tv_nsec += step_ns;
        while (next.tv_nsec >= 1'000'000'000L) {
            next.tv_nsec -= 1'000'000'000L;
            ++next.tv_sec;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
    }
    std::printf("%ld %ld\n", sent, attempted);
    return 0;
}

int receive_flow(int port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    const int size = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(static_cast<uint16_t>(port));
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return 1;
    long received = 0;
    char buffer[2048];
    while (true) {
        pollfd p{fd, POLLIN, 0};
        // After SIGTERM, take what is already queued, then report.
        if (::poll(&p, 1, stop ? 0 : 100) <= 0) {
            if (stop) break;
            continue;
        }
        if (::recv(fd, buffer, sizeof buffer, 0) > 0) ++received;
    }
    std::printf("%ld\n", received);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    if (argc == 6 && std::strcmp(argv[1], "send") == 0)
        return send_flow(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::atol(argv[5]));
    if (argc == 3 && std::strcmp(argv[1], "recv") == 0) return receive_flow(std::atoi(argv[2]));
    return usage();
}
