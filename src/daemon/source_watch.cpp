#include "daemon/source_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace winipsec::daemon {

constexpr std::uint32_t watch_events =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MODIFY;

bool SourceWatch::add(const std::string& directory) {
    const int wd = ::inotify_add_watch(fd_, directory.c_str(), watch_events);
    if (wd < 0) return false;
    directories_[wd] = directory;
    missing_.erase(directory);
    return true;
}

std::set<std::string> SourceWatch::paths_in(const std::string& directory) const {
    std::set<std::string> out;
    if (auto it = watched_.find(directory); it != watched_.end())
        for (const auto& name : it->second) out.insert((std::filesystem::path(directory) / name).string());
    return out;
}

std::expected<SourceWatch, std::string> SourceWatch::open(const std::vector<std::string>& paths) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return std::unexpected(fmt::format("inotify: {}", std::strerror(errno)));
    SourceWatch watch(fd);
    for (const auto& p : paths) {
        const std::filesystem::path path(p);
        watch.watched_[path.parent_path().string()].insert(path.filename().string());
    }
    for (const auto& [dir, names] : watch.watched_) {
        if (watch.add(dir)) continue;
        // A directory that does not exist yet is watched once it does.
        if (errno != ENOENT) return std::unexpected(fmt::format("inotify: watch {}: {}", dir, std::strerror(errno)));
        watch.missing_.insert(dir);
    }
    return watch;
}

std::set<std::string> SourceWatch::watch_new_directories() {
    std::set<std::string> changed;
    const std::set<std::string> missing = missing_;
    for (const auto& dir : missing)
        if (add(dir)) changed.merge(paths_in(dir));
    return changed;
}

SourceWatch::SourceWatch(SourceWatch&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      directories_(std::move(other.directories_)),
      watched_(std::move(other.watched_)),
      missing_(std::move(other.missing_)) {}

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
                for (const auto& [dir, names] : watched_) changed.merge(paths_in(dir));
                continue;
            }
            const auto dir = directories_.find(e->wd);
            if (dir != directories_.end() && (e->mask & IN_IGNORED)) {
                // The directory itself went away (with its files): watch
                // for it to come back.
                changed.merge(paths_in(dir->second));
                missing_.insert(dir->second);
                directories_.erase(dir);
                continue;
            }
            if (dir == directories_.end() || e->len == 0) continue;
            const std::string name(e->name);
            if (watched_[dir->second].contains(name))
                changed.insert((std::filesystem::path(dir->second) / name).string());
        }
    }
}

}  // namespace winipsec::daemon
