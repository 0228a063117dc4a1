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
    // Watches the directories that did not exist so far (an unassigned
    // domain source's, say) and now do; the source paths in them, whose
    // files may have appeared with them.
    std::set<std::string> watch_new_directories();

private:
    explicit SourceWatch(int fd) : fd_(fd) {}
    bool add(const std::string& directory);
    std::set<std::string> paths_in(const std::string& directory) const;

    int fd_;
    std::map<int, std::string> directories_;                // watch descriptor -> directory
    std::map<std::string, std::set<std::string>> watched_;  // directory -> file names
    std::set<std::string> missing_;                         // directories not watched (yet)
};

}  // namespace winipsec::daemon
