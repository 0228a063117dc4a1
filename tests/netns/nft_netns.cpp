#include "tests/netns/nft_netns.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "kernel/nft_batch.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::test::netns {
namespace {

std::atomic<int> namespace_counter{0};

int shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string capture(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
    return out;
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

}  // namespace

std::optional<Namespace> Namespace::create(std::string* why) {
    if (geteuid() != 0) {
        if (why) *why = "not root";
        return std::nullopt;
    }
    const std::string name = fmt::format("wipsec-nft-{}-{}", getpid(), namespace_counter++);
    if (shell(fmt::format("ip netns add {} 2>/dev/null", name)) != 0) {
        if (why) *why = "`ip netns add` failed (no CAP_SYS_ADMIN or no iproute2?)";
        return std::nullopt;
    }
    Namespace ns(name);
    ns.run("ip link set lo up");
    return ns;
}

Namespace::Namespace(Namespace&& other) noexcept : name_(std::move(other.name_)) {
    other.name_.clear();
}

Namespace::~Namespace() {
    if (!name_.empty()) shell(fmt::format("ip netns del {} 2>/dev/null", name_));
}

int Namespace::run(const std::string& command) const {
    return shell(fmt::format("ip netns exec {} sh -c '{}'", name_, command));
}

std::string Namespace::output(const std::string& command) const {
    return capture(fmt::format("ip netns exec {} sh -c '{}'", name_, command));
}

Inside::Inside(const Namespace& ns) {
    original_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target = open(("/run/netns/" + ns.name()).c_str(), O_RDONLY | O_CLOEXEC);
    if (original_ < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
        if (target >= 0) close(target);
        throw std::runtime_error("cannot enter network namespace " + ns.name());
    }
    close(target);
}

Inside::~Inside() {
    if (original_ >= 0) {
        (void)setns(original_, CLONE_NEWNET);
        close(original_);
    }
}

std::optional<LinkedPair> LinkedPair::create(std::string* why) {
    auto a = Namespace::create(why);
    if (!a) return std::nullopt;
    auto b = Namespace::create(why);
    if (!b) return std::nullopt;
    const std::string setup = fmt::format(
        "ip -n {a} link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02 netns {b} && "
        "ip -n {a} addr add 192.0.2.1/24 dev v0 && ip -n {b} addr add 192.0.2.2/24 dev v1 && "
        "ip -n {a} addr add 2001:db8::1/64 dev v0 nodad && ip -n {b} addr add 2001:db8::2/64 dev v1 nodad && "
        "ip -n {a} link set v0 up && ip -n {b} link set v1 up && "
        "ip -n {a} neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent && "
        "ip -n {b} neigh replace 192.0.2.1 lladdr 02:00:00:00:00:01 dev v1 nud permanent && "
        "ip -n {a} neigh replace 2001:db8::2 lladdr 02:00:00:00:00:02 dev v0 nud permanent && "
        "ip -n {b} neigh replace 2001:db8::1 lladdr 02:00:00:00:00:01 dev v1 nud permanent",
        fmt::arg("a", a->name()), fmt::arg("b", b->name()));
    if (shell(setup) != 0) {
        if (why) *why = "veth setup failed";
        return std::nullopt;
    }
    return LinkedPair{std::move(*a), std::move(*b)};
}

UdpReceiver::UdpReceiver(const Namespace& ns, std::uint16_t port, bool ipv6) {
    Inside inside(ns);
    fd_ = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    int ok = 0;
    if (ipv6) {
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        address.sin6_port = htons(port);
        address.sin6_addr = in6addr_any;
        ok = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    } else {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_ANY);
        ok = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    if (ok != 0) throw std::runtime_error("bind");
}

UdpReceiver::~UdpReceiver() {
    if (fd_ >= 0) close(fd_);
}

std::vector<std::size_t> UdpReceiver::receive_all(int timeout_ms) {
    std::vector<std::size_t> sizes;
    std::vector<char> buffer(65536);
    while (true) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) return sizes;
        const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
        if (n < 0) return sizes;
        sizes.push_back(static_cast<std::size_t>(n));
    }
}

void send_udp(const Namespace& ns, const std::string& destination, std::uint16_t port, int count, std::size_t size,
              std::uint16_t source_port) {
    Inside inside(ns);
    const bool ipv6 = destination.find(':') != std::string::npos;
    const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket");
    sockaddr_storage to{}, from{};
    socklen_t length = 0;
    if (ipv6) {
        auto* t = reinterpret_cast<sockaddr_in6*>(&to);
        t->sin6_family = AF_INET6;
        t->sin6_port = htons(port);
        inet_pton(AF_INET6, destination.c_str(), &t->sin6_addr);
        auto* f = reinterpret_cast<sockaddr_in6*>(&from);
        f->sin6_family = AF_INET6;
        f->sin6_port = htons(source_port);
        length = sizeof(sockaddr_in6);
    } else {
        auto* t = reinterpret_cast<sockaddr_in*>(&to);
        t->sin_family = AF_INET;
        t->sin_port = htons(port);
        inet_pton(AF_INET, destination.c_str(), &t->sin_addr);
        auto* f = reinterpret_cast<sockaddr_in*>(&from);
        f->sin_family = AF_INET;
        f->sin_port = htons(source_port);
        length = sizeof(sockaddr_in);
    }
    if (source_port != 0) {
        const int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        (void)bind(fd, reinterpret_cast<sockaddr*>(&from), length);
    }
    const std::string payload(size, 'x');
    for (int i = 0; i < count; ++i)
        (void)sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), length);
    close(fd);
}

void send_udp_from(const Namespace& ns, const std::string& source, const std::string& destination, std::uint16_t port,
                   int count) {
    Inside inside(ns);
    const bool ipv6 = destination.find(':') != std::string::npos;
    const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket");
    sockaddr_storage to{}, from{};
    socklen_t length = 0;
    if (ipv6) {
        auto* t = reinterpret_cast<sockaddr_in6*>(&to);
        auto* f = reinterpret_cast<sockaddr_in6*>(&from);
        t->sin6_family = f->sin6_family = AF_INET6;
        t->sin6_port = htons(port);
        inet_pton(AF_INET6, destination.c_str(), &t->sin6_addr);
        inet_pton(AF_INET6, source.c_str(), &f->sin6_addr);
        length = sizeof(sockaddr_in6);
    } else {
        auto* t = reinterpret_cast<sockaddr_in*>(&to);
        auto* f = reinterpret_cast<sockaddr_in*>(&from);
        t->sin_family = f->sin_family = AF_INET;
        t->sin_port = htons(port);
        inet_pton(AF_INET, destination.c_str(), &t->sin_addr);
        inet_pton(AF_INET, source.c_str(), &f->sin_addr);
        length = sizeof(sockaddr_in);
    }
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), length) != 0) {
        close(fd);
        throw std::runtime_error("bind to " + source);
    }
    const std::string payload(32, 'x');
    for (int i = 0; i < count; ++i)
        (void)sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), length);
    close(fd);
}

OwnedPlan make_plan(const StoreBuilder& builder, plan::PlanOptions options) {
    OwnedPlan owned;
    owned.store = std::make_unique<PolicyStore>(builder.store);
    Diagnostics diagnostics;
    owned.plan = plan::build_plan(*owned.store, options, diagnostics);
    return owned;
}

std::expected<void, Error> apply_in(const Namespace& ns, const kernel::NftRuleset& ruleset) {
    Inside inside(ns);
    return kernel::apply_nft_ruleset(ruleset);
}

std::expected<void, Error> remove_in(const Namespace& ns) {
    Inside inside(ns);
    return kernel::remove_nft_table();
}

kernel::NftLiveState state_in(const Namespace& ns) {
    Inside inside(ns);
    auto state = kernel::read_nft_state();
    if (!state) throw std::runtime_error("read_nft_state: " + state.error().message);
    return *state;
}

std::string list_table(const Namespace& ns) {
    return ns.output("nft list table inet winipsec 2>&1");
}

std::string normalised_listing(const std::string& listing) {
    static const std::regex counter(R"(counter packets \d+ bytes \d+)");
    // Join element lists onto one line first: nft wraps them.
    std::string joined;
    int depth_in_elements = 0;
    std::istringstream in(listing);
    std::string line;
    std::vector<std::string> lines;
    std::string pending;
    while (std::getline(in, line)) {
        line = trim(std::regex_replace(line, counter, "counter packets 0 bytes 0"));
        if (line.empty()) continue;
        if (depth_in_elements == 0 && line.starts_with("elements = {")) {
            pending = line.substr(std::string("elements = {").size());
            depth_in_elements = 1;
        } else if (depth_in_elements) {
            pending += " " + line;
        } else {
            lines.push_back(line);
        }
        if (depth_in_elements && pending.find('}') != std::string::npos) {
            pending = pending.substr(0, pending.rfind('}'));
            std::vector<std::string> elements;
            std::stringstream items(pending);
            std::string item;
            while (std::getline(items, item, ',')) elements.push_back(trim(item));
            std::sort(elements.begin(), elements.end());
            std::string text = "elements = {";
            for (const auto& e : elements) text += " " + e + ",";
            lines.push_back(text + " }");
            depth_in_elements = 0;
        }
    }
    for (const auto& l : lines) joined += l + "\n";
    return joined;
}

}  // namespace winipsec::test::netns
