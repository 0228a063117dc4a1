#pragma once
// Where charon's VICI socket is. charon's own default is
// unix://${piddir}/charon.vici (VICI_DEFAULT_URI), /var/run on Debian. Only
// unix:// is accepted: charon offers tcp:// too, but that exposes an
// unauthenticated control channel, and winipsec never needs it.
#include <expected>
#include <string>
#include <string_view>

#include "ike/vici_error.hpp"

namespace winipsec::ike {

inline constexpr std::string_view default_vici_uri = "unix:///var/run/charon.vici";

// "unix:///path/to/socket" -> "/path/to/socket"; Kind::Connect with a
// sentence saying what is wrong otherwise.
std::expected<std::string, ViciError> vici_socket_path(std::string_view uri);

}  // namespace winipsec::ike
