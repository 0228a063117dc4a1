#include "daemon/source_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace winipsec::daemon {

std::expected<SourceWatch, std::string> SourceWatch::open(const std::vector<std::string>& paths) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return std::unexpected(fmt::format("inotify: {}", std::strerror(errno)));
    SourceWatch watch(fd);
    for (const auto& p : paths) {
        const std::filesystem::path path(p);
        const std::string dir = path.parent_path().string();
        if (!watch.watched_.contains(dir)) {
            const int wd = ::inotify_add_watch(
                fd, dir.c_str(),
                IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MODIFY);
            // A directory that does not exist yet (an unassigned domain
            // source's) is left to the polling interval.
            if (wd < 0 && errno != ENOENT)
                return std::unexpected(fmt::format("inotify: watch {}: {}", dir, std::strerror(errno)));
            if (wd >= 0) watch.directories_[wd] = dir;
        }
        watch.watched_[dir].insert(path.filename().string());
    }
    return watch;
}

SourceWatch::SourceWatch(SourceWatch&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      directories_(std::move(other.directories_)),
      watched_(std::move(other.watched_)) {}

SourceWatch::~SourceWatch() {
    if (fd_ >= 0) ::close(fd_);
}

std::set<std::string> SourceWatch::drain() {
    std::set<std::string> changed;
    alignas(inotify_event) char buffer[16384];
    while (true) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return changed;
        for (ssize_t at = 0; at < n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            if (e->mask & IN_Q_OVERFLOW) {
                // Events were lost: every source may have changed.
                for (const auto& [dir, names] : watched_)
                    for (const auto& name : names) changed.insert((std::filesystem::path(dir) / name).string());
                continue;
            }
            const auto dir = directories_.find(e->wd);
            if (dir == directories_.end() || e->len == 0) continue;
            const std::string name(e->name);
            if (watched_[dir->second].contains(name))
                changed.insert((std::filesystem::path(dir->second) / name).string());
        }
    }
}

}  // namespace winipsec::daemon
