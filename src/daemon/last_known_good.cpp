#include "daemon/last_known_good.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "daemon/daemon_clock.hpp"
#include "daemon/kernel_state_json.hpp"

namespace winipsec::daemon {

namespace {

constexpr const char* file_format = "winipsec-last-known-good";
constexpr int file_version = 1;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

std::string errno_text() {
    return std::strerror(errno);
}

}  // namespace

std::filesystem::path last_known_good_path(const std::filesystem::path& state_directory) {
    return state_directory / "last-known-good.json";
}

std::expected<std::optional<LastKnownGood>, std::string> read_last_known_good(
    const std::filesystem::path& state_directory) {
    const auto path = last_known_good_path(state_directory);
    // A temporary file left by a daemon killed while writing: the rename
    // never happened, so the previous file is the consistent one.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(state_directory, ec))
        if (entry.path().filename().string().starts_with(".last-known-good.json.")) std::filesystem::remove(entry, ec);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return std::optional<LastKnownGood>{};
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(fmt::format("{}: {}", path.string(), errno_text()));
    std::ostringstream text;
    text << in.rdbuf();
    const auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != file_format)
        return std::unexpected(fmt::format("{}: not a winipsec last-known-good file (damaged?)", path.string()));
    if (j.value("version", 0) != file_version)
        return std::unexpected(fmt::format("{}: written by another winipsec version (format {}, this one reads {})",
                                           path.string(), j.value("version", 0), file_version));
    auto kernel = kernel_state_from_json(j["kernel"]);
    if (!kernel) return std::unexpected(fmt::format("{}: {}", path.string(), kernel.error()));
    auto ike = ike_config_from_json(j["ike"]);
    if (!ike) return std::unexpected(fmt::format("{}: {}", path.string(), ike.error()));
    LastKnownGood lkg;
    lkg.kernel = std::move(*kernel);
    lkg.ike = std::move(*ike);
    try {
        for (const auto& a : j.at("me")) {
            auto address = IpAddress::parse(a.get<std::string>());
            if (address) lkg.me.push_back(*address);
        }
        lkg.policy = j.at("policy").get<std::string>();
        lkg.sources = j.at("sources").get<std::vector<std::string>>();
        lkg.rules = j.at("rules").get<std::size_t>();
        lkg.written_at = j.at("written_at").get<std::string>();
    } catch (const std::exception& e) {
        return std::unexpected(fmt::format("{}: {}", path.string(), e.what()));
    }
    return std::optional<LastKnownGood>{std::move(lkg)};
}

std::expected<void, std::string> write_last_known_good(const std::filesystem::path& state_directory,
                                                       const LastKnownGood& state) {
    return write_last_known_good(
        state_directory, state,
        {kernel_state_to_json(state.kernel).dump(), ike_config_to_json(state.ike, true).dump()});
}

std::expected<void, std::string> write_last_known_good(const std::filesystem::path& state_directory,
                                                       const LastKnownGood& state, const SerializedState& serialized) {
    nlohmann::json j;
    j["format"] = file_format;
    j["version"] = file_version;
    j["written_at"] = state.written_at.empty() ? now_utc() : state.written_at;
    j["policy"] = state.policy;
    j["sources"] = state.sources;
    j["rules"] = state.rules;
    auto& me = j["me"] = nlohmann::json::array();
    for (const auto& a : state.me) me.push_back(a.to_string());
    // The object's closing brace makes way for the two serialised members.
    std::string text = j.dump();
    text.pop_back();
    text.reserve(text.size() + serialized.kernel_json.size() + serialized.ike_json.size() + 32);
    text += ",\"kernel\":";
    text += serialized.kernel_json;
    text += ",\"ike\":";
    text += serialized.ike_json;
    text += "}\n";

    const auto path = last_known_good_path(state_directory);
    const auto temporary = state_directory / fmt::format(".last-known-good.json.{}", ::getpid());
    // 0600 from the start: the pre-shared keys must never be readable by
    // others, not even for the moment between creating and chmod.
    FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return std::unexpected(fmt::format("{}: {}", temporary.string(), errno_text()));
    auto fail = [&](const char* what) {
        const std::string message = fmt::format("{}: {}: {}", temporary.string(), what, errno_text());
        ::unlink(temporary.c_str());
        return std::unexpected(message);
    };
    if (::fchmod(fd.get(), 0600) != 0) return fail("chmod");
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail("write");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail("fsync");
    if (::close(fd.release()) != 0) return fail("close");
    if (::rename(temporary.c_str(), path.c_str()) != 0) return fail("rename");
    // The rename itself is durable only once the directory is.
    FileDescriptor dir(::open(state_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) ::fsync(dir.get());
    return {};
}

}  // namespace winipsec::daemon
