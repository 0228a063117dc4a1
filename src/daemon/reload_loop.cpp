#include "daemon/reload_loop.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "daemon/address_monitor.hpp"
#include "daemon/control_protocol.hpp"
#include "daemon/control_socket.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/service_notify.hpp"
#include "daemon/source_watch.hpp"

namespace winipsec::daemon {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Editors save in several steps (write, rename, chmod): wait for the burst
// to end before reading.
constexpr milliseconds file_settle{150};
constexpr milliseconds address_settle{100};
// charon's socket and source directories that did not exist are looked for this often.
constexpr milliseconds charon_check{250};

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

enum Source : std::uint64_t { SignalSource, WatchSource, AddressSource, ControlSource };

struct PendingReload {
    std::optional<Clock::time_point> at;
    std::set<std::string> dynamic_paths;
};

void run_reload(PolicyDaemon& daemon, ReloadCause cause, const std::vector<std::string>& dynamic, bool forced) {
    notify_reloading();
    daemon.reload(cause, dynamic, forced);
    notify_reloaded(daemon.summary());
}

void answer(PolicyDaemon& daemon, ControlConnection connection) {
    if (!connection.peer_is_root()) {
        connection.reply({{"ok", false}, {"message", "permission denied: only root may use the control socket"}});
        return;
    }
    const auto command = connection.read_command();
    if (command && *command == control::command_status) {
        connection.reply(daemon.status());
    } else if (command && *command == control::command_reload) {
        notify_reloading();
        const ReloadRecord& r = daemon.reload(ReloadCause::Control, daemon.sources().dynamic_paths(), true);
        notify_reloaded(daemon.summary());
        connection.reply({{"ok", r.result != "failed"}, {"reload", r.to_json()}, {"status", daemon.status()}});
    } else {
        connection.reply({{"ok", false}, {"message", fmt::format("unknown command '{}'", command.value_or(""))}});
    }
}

}  // namespace

int run_reload_loop(PolicyDaemon& daemon) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGHUP);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    Fd signal_fd(::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
    Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
    if (signal_fd.get() < 0 || epoll.get() < 0) {
        log_error(fmt::format("event loop: {}", std::strerror(errno)));
        return 1;
    }
    auto add = [&](int fd, Source what) {
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u64 = what;
        ::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &e);
    };
    add(signal_fd.get(), SignalSource);

    std::vector<std::string> paths;
    for (const auto& s : daemon.config().sources) paths.push_back(s.path);
    auto watch = SourceWatch::open(paths);
    if (watch)
        add(watch->fd(), WatchSource);
    else
        log_warning(fmt::format("{}; changes are picked up at the polling interval only", watch.error()));

    std::optional<AddressMonitor> monitor;
    if (daemon.config().me.empty()) {
        auto opened = AddressMonitor::open();
        if (opened) {
            monitor.emplace(std::move(*opened));
            add(monitor->fd(), AddressSource);
        } else {
            log_warning(fmt::format("{}; `me` follows address changes at the polling interval only", opened.error()));
        }
    }

    auto control = ControlSocket::listen(daemon.config().control_socket);
    if (!control) {
        log_error(control.error());
        return 1;
    }
    add(control->fd(), ControlSource);

    const auto watchdog = watchdog_interval();
    PendingReload pending;
    std::optional<Clock::time_point> address_check;
    auto next_poll = Clock::now() + daemon.poll_interval();
    auto next_charon = Clock::now();
    auto next_watchdog = Clock::now();

    while (true) {
        const auto now = Clock::now();
        auto wake = std::min(next_poll, next_charon);
        if (pending.at) wake = std::min(wake, *pending.at);
        if (address_check) wake = std::min(wake, *address_check);
        if (watchdog) wake = std::min(wake, next_watchdog);
        const auto wait = std::chrono::duration_cast<milliseconds>(wake - now).count();
        epoll_event events[8];
        const int n = ::epoll_wait(epoll.get(), events, 8, static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
        if (n < 0 && errno != EINTR) {
            log_error(fmt::format("event loop: {}", std::strerror(errno)));
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            switch (events[i].data.u64) {
                case SignalSource: {
                    signalfd_siginfo info{};
                    while (::read(signal_fd.get(), &info, sizeof info) == sizeof info) {
                        if (info.ssi_signo == SIGHUP) {
                            log_info("SIGHUP: reloading");
                            run_reload(daemon, ReloadCause::Signal, daemon.sources().dynamic_paths(), true);
                        } else {
                            // The policy stays enforced after the daemon stops, as
                            // Windows' filters stay in the driver; `winipsec flush`
                            // removes it.
                            log_info(fmt::format("{}: stopping; the applied policy stays in place",
                                                 strsignal(static_cast<int>(info.ssi_signo))));
                            notify_stopping();
                            daemon.persist_pending();
                            return 0;
                        }
                    }
                    break;
                }
                case WatchSource:
                    if (watch) {
                        const auto changed = watch->drain();
                        for (const auto& path : changed) {
                            const PolicySource* s = daemon.sources().find(path);
                            if (!s) continue;
                            log_debug(fmt::format("{} changed", path));
                            if (s->kind == SourceKind::Dynamic) pending.dynamic_paths.insert(path);
                            pending.at = Clock::now() + file_settle;
                        }
                    }
                    break;
                case AddressSource:
                    if (monitor && monitor->drain()) address_check = Clock::now() + address_settle;
                    break;
                case ControlSource:
                    while (auto connection = control->accept()) answer(daemon, std::move(*connection));
                    break;
            }
        }
        const auto after = Clock::now();
        if (pending.at && after >= *pending.at) {
            const std::vector<std::string> dynamic(pending.dynamic_paths.begin(), pending.dynamic_paths.end());
            pending = {};
            run_reload(daemon, ReloadCause::FileChange, dynamic, false);
        }
        // After quick reloads, and not while more edits are settling in.
        if (!pending.at && daemon.check_due()) {
            notify_reloading();
            daemon.check_quick_reloads();
            notify_reloaded(daemon.summary());
        }
        if (address_check && after >= *address_check) {
            address_check.reset();
            if (daemon.me_changed()) run_reload(daemon, ReloadCause::AddressChange, {}, false);
        }
        if (after >= next_poll) {
            run_reload(daemon, ReloadCause::Poll, {}, false);
            next_poll = Clock::now() + daemon.poll_interval();
        }
        if (after >= next_charon) {
            if (watch) {
                for (const auto& path : watch->watch_new_directories()) {
                    if (const PolicySource* s = daemon.sources().find(path); s && s->kind == SourceKind::Dynamic)
                        pending.dynamic_paths.insert(path);
                    pending.at = Clock::now() + file_settle;
                }
            }
            daemon.follow_charon();
            next_charon = Clock::now() + charon_check;
        }
        if (watchdog && after >= next_watchdog) {
            notify_watchdog();
            next_watchdog = Clock::now() + *watchdog;
        }
    }
}

}  // namespace winipsec::daemon
