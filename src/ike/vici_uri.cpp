#include "ike/vici_uri.hpp"

#include <sys/un.h>

#include <fmt/format.h>

namespace winipsec::ike {

std::expected<std::string, ViciError> vici_socket_path(std::string_view uri) {
    constexpr std::string_view scheme = "unix://";
    auto refuse = [&](std::string why) {
        return std::unexpected(
            ViciError::make(ViciError::Kind::Connect, fmt::format("VICI URI '{}': {}", uri, std::move(why))));
    };
    if (!uri.starts_with(scheme)) {
        if (uri.starts_with("tcp://")) return refuse("only unix:// sockets are supported");
        return refuse("expected unix:///path/to/charon.vici");
    }
    std::string path(uri.substr(scheme.size()));
    if (path.empty() || path.front() != '/') return refuse("the socket path must be absolute (unix:///path)");
    if (path.find('\0') != std::string::npos) return refuse("the socket path contains a NUL byte");
    if (path.size() >= sizeof(sockaddr_un::sun_path))
        return refuse(fmt::format("the socket path is longer than the {} bytes a UNIX socket address holds",
                                  sizeof(sockaddr_un::sun_path) - 1));
    return path;
}

}  // namespace winipsec::ike
