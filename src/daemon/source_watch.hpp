#pragma once
// inotify on the directories that hold the policy sources: editors and
// configuration tools replace files by rename, so watching the file itself
// would lose it after the first save. Reports which source paths changed.
#include <expected>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace winipsec::daemon {

class SourceWatch {
public:
    static std::expected<SourceWatch, std::string> open(const std::vector<std::string>& paths);
    SourceWatch(SourceWatch&& other) noexcept;
    SourceWatch(const SourceWatch&) = delete;
    SourceWatch& operator=(const SourceWatch&) = delete;
    ~SourceWatch();

    int fd() const { return fd_; }
    // Reads the queued events; the watched paths they touched.
    std::set<std::string> drain();

private:
    explicit SourceWatch(int fd) : fd_(fd) {}
    int fd_;
    std::map<int, std::string> directories_;                // watch descriptor -> directory
    std::map<std::string, std::set<std::string>> watched_;  // directory -> file names
};

}  // namespace winipsec::daemon
