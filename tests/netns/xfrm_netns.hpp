#pragma once
// Helpers for the XFRM namespace tests: a throw-away named network namespace
// (so `ip -n NAME xfrm policy` can read it back), running code inside it on
// a thread that setns()'d into it (a network namespace is per thread, and
// netlink sockets belong to the namespace of the thread that opens them),
// and running iproute2. Tests skip with a message when not root.
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "kernel/xfrm_policy.hpp"
#include "plan/build_plan.hpp"
#include "plan_fixture.hpp"

namespace winipsec::test {

// A socket file descriptor closed when the test is done with it.
class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

#define XFRM_NETNS_REQUIRE_ROOT()                                                         \
    do {                                                                                  \
        if (geteuid() != 0) {                                                             \
            MESSAGE("skipped: creating network namespaces and XFRM policies needs root"); \
            return;                                                                       \
        }                                                                                 \
    } while (false)

struct CommandResult {
    int status = -1;     // exit status, -1 when it did not exit normally
    std::string output;  // stdout and stderr
};

inline CommandResult run_command(const std::string& command) {
    CommandResult r;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
    if (!pipe) return r;
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) r.output.append(buffer, n);
    const int raw = pclose(pipe.release());
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

// A named namespace, deleted (with every policy in it) on scope exit.
class Netns {
public:
    Netns() {
        static std::atomic<int> counter{0};
        name_ = fmt::format("wipsec-xfrm-{}-{}", getpid(), counter++);
        const auto r = run_command("ip netns add " + name_);
        if (r.status != 0) throw std::runtime_error("ip netns add failed: " + r.output);
        (void)run_command("ip -n " + name_ + " link set lo up");
    }
    ~Netns() { (void)run_command("ip netns delete " + name_); }
    Netns(const Netns&) = delete;
    Netns& operator=(const Netns&) = delete;

    const std::string& name() const { return name_; }
    // `ip -n NAME ARGS`
    CommandResult ip(const std::string& args) const { return run_command("ip -n " + name_ + " " + args); }

    // Runs `fn` on a thread inside this namespace and returns its result.
    template <typename Fn>
    auto run(Fn fn) const -> decltype(fn()) {
        using R = decltype(fn());
        std::optional<R> result;
        std::string failure;
        std::thread worker([&] {
            const int fd = open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
                failure = "cannot enter namespace " + name_;
                if (fd >= 0) close(fd);
                return;
            }
            close(fd);
            result.emplace(fn());
        });
        worker.join();
        if (!result) throw std::runtime_error(failure);
        return std::move(*result);
    }

private:
    std::string name_;
};

// Keeps stores alive for the plans that point into them.
inline plan::Plan build(const StoreBuilder& b, const plan::PlanOptions& options) {
    static std::vector<std::unique_ptr<PolicyStore>> keep;
    keep.push_back(std::make_unique<PolicyStore>(b.store));
    Diagnostics d;
    return plan::build_plan(*keep.back(), options, d);
}

// The policies with winipsec's markers, without foreign ones.
inline std::vector<kernel::XfrmPolicy> owned(const std::vector<kernel::XfrmPolicy>& all) {
    std::vector<kernel::XfrmPolicy> out;
    for (const auto& p : all)
        if (p.ours()) out.push_back(p);
    return out;
}

// A dump in identity order: the kernel lists policies most recently linked
// first, and UPDPOLICY or a re-add after a rollback relinks them, so only
// the set is meaningful (priorities, not list positions, decide lookups).
inline std::vector<kernel::XfrmPolicy> sorted(std::vector<kernel::XfrmPolicy> all) {
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.identity() < b.identity(); });
    return all;
}

inline const kernel::XfrmPolicy* find_policy(const std::vector<kernel::XfrmPolicy>& all, kernel::XfrmDir dir,
                                             const std::string& selector) {
    for (const auto& p : all)
        if (p.dir == dir && p.selector.to_string() == selector) return &p;
    return nullptr;
}

inline std::size_t count_lines_containing(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace winipsec::test
