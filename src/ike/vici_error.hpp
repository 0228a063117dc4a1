#pragma once
// What can go wrong talking to charon over VICI, as a value. The kind lets a
// caller react (reconnect after a timeout, report "daemon not running"), the
// message is the sentence a user reads; daemon_message keeps charon's own
// errmsg verbatim when it sent one. Messages never contain request contents
// (a load-shared request carries a PSK).
#include <string>

#include "import/error.hpp"

namespace winipsec::ike {

struct ViciError {
    enum class Kind {
        Connect,         // socket missing, refused, or no permission
        Io,              // read/write failed or charon closed the connection
        Timeout,         // no complete reply in time (charon answers a malformed request with nothing)
        Malformed,       // bytes that do not follow the protocol (either direction)
        TooLarge,        // over the 512 KiB segment cap, or a name/value over its length field
        UnknownCommand,  // CMD_UNKNOWN
        UnknownEvent,    // EVENT_UNKNOWN
        Failed,          // the command ran and answered success=no
        Unusable,        // the session was left in an unknown state by an earlier error
    };
    Kind kind = Kind::Io;
    std::string message;
    std::string daemon_message;  // charon's errmsg for Kind::Failed, else empty

    static ViciError make(Kind kind, std::string message, std::string daemon_message = {}) {
        return {kind, std::move(message), std::move(daemon_message)};
    }

    // For the CLI's exit status: talking to the daemon is a system matter.
    Error to_error() const { return Error::system(message); }
};

}  // namespace winipsec::ike
