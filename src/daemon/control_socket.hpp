#pragma once
// The daemon's end of the control socket (control_protocol.hpp): created
// mode 0600 in a 0700 directory, and every peer's credentials checked
// (SO_PEERCRED), so only root can ask for status or a reload.
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace winipsec::daemon {

class ControlConnection {
public:
    explicit ControlConnection(int fd) : fd_(fd) {}
    ControlConnection(ControlConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    ControlConnection(const ControlConnection&) = delete;
    ControlConnection& operator=(const ControlConnection&) = delete;
    ~ControlConnection();

    bool peer_is_root() const;
    // The command line the client sent (up to a newline or end of stream,
    // waiting at most one second), or nullopt.
    std::optional<std::string> read_command();
    void reply(const nlohmann::json& answer);

private:
    int fd_;
};

class ControlSocket {
public:
    static std::expected<ControlSocket, std::string> listen(const std::filesystem::path& path);
    ControlSocket(ControlSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}
    ControlSocket(const ControlSocket&) = delete;
    ControlSocket& operator=(const ControlSocket&) = delete;
    ~ControlSocket();

    int fd() const { return fd_; }
    std::optional<ControlConnection> accept();

private:
    ControlSocket(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_;
    std::filesystem::path path_;
};

}  // namespace winipsec::daemon
