#pragma once
// The daemon's control socket protocol, shared by winipsecd and the
// `winipsec status` / `winipsec reload` verbs: a root-only UNIX stream
// socket; the client writes one command line ("status" or "reload"), the
// daemon answers with one JSON document and closes.
#include <chrono>
#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "import/error.hpp"

namespace winipsec::control {

inline constexpr std::string_view default_socket = "/run/winipsec/control";
inline constexpr std::string_view command_status = "status";
inline constexpr std::string_view command_reload = "reload";

// Sends `command`, returns the daemon's answer. Error::system when the
// daemon is not running, refuses (not root) or does not answer in time.
std::expected<nlohmann::json, Error> control_request(const std::string& socket_path, std::string_view command,
                                                     std::chrono::milliseconds timeout);

}  // namespace winipsec::control
