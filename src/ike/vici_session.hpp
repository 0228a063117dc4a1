#pragma once
// One connection to charon's VICI socket and the request/response discipline
// the protocol needs (README "Commands", "Events"):
//  - one command in flight at a time, its reply matched by order (there are
//    no sequence numbers);
//  - events may arrive at any time while registered, also between a request
//    and its response: they are handed to the registered handlers while the
//    session waits;
//  - streamed listings (list-sas, list-conns, list-certs, ...) register for
//    their event, send the command, collect every event up to the response
//    and unregister;
//  - every wait has a deadline. charon sends nothing back for a request it
//    cannot parse (vici_dispatcher.c only logs "invalid vici request
//    message"), so a timeout is the only way to learn of it. After a timeout
//    or a broken stream the session is unusable (a late reply would be taken
//    for the next command's) and says so; open a new one.
//
// Event handlers run inside the session's waits and must not call back into
// the session (doing so throws std::logic_error).
#include <chrono>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ike/vici_codec.hpp"
#include "ike/vici_error.hpp"
#include "ike/vici_message.hpp"
#include "ike/vici_packet.hpp"
#include "ike/vici_stream.hpp"
#include "ike/vici_uri.hpp"

namespace winipsec::ike {

struct ViciEvent {
    std::string name;
    ViciMessage message;
};

using ViciEventHandler = std::function<void(const ViciEvent&)>;
// Receives one line per packet sent or received, with secrets redacted and
// the contents of secret-carrying requests (load-shared, load-key,
// load-token) withheld entirely.
using ViciTrace = std::function<void(std::string_view line)>;

struct ViciSessionOptions {
    // Default deadline for connecting, for one command's whole reply and for
    // an event (un)registration.
    std::chrono::milliseconds timeout{10'000};
    ViciTrace trace;
    ViciDecodeLimits limits;
};

// What a streamed command produced: its events in arrival order, then the
// final response (usually empty, or success/errmsg).
struct ViciStreamedReply {
    std::vector<ViciMessage> events;
    ViciMessage response;
};

class ViciSession {
public:
    static std::expected<ViciSession, ViciError> connect(std::string_view uri = default_vici_uri,
                                                         ViciSessionOptions options = {});

    ViciSession(ViciSession&&) noexcept;
    ViciSession& operator=(ViciSession&&) noexcept;
    ~ViciSession();

    const std::string& uri() const;
    std::chrono::milliseconds timeout() const;
    bool usable() const;

    // Sends `command` and returns charon's response as it came.
    std::expected<ViciMessage, ViciError> request(std::string_view command, const ViciMessage& arguments = {},
                                                  std::optional<std::chrono::milliseconds> timeout = {});
    // Same, for commands that answer { success, errmsg }: success=no (or no
    // success key) becomes Kind::Failed carrying charon's errmsg.
    std::expected<ViciMessage, ViciError> request_checked(std::string_view command, const ViciMessage& arguments = {},
                                                          std::optional<std::chrono::milliseconds> timeout = {});
    // A streamed command: `event` is the name charon streams under
    // ("list-sa" for list-sas, "list-conn" for list-conns, "control-log" for
    // initiate/terminate).
    std::expected<ViciStreamedReply, ViciError> request_streamed(std::string_view command, const ViciMessage& arguments,
                                                                 std::string_view event,
                                                                 std::optional<std::chrono::milliseconds> timeout = {});

    // Registers for `event` and calls `handler` for each one from now on
    // (while this session waits for anything). Subscribing again replaces the
    // handler. Kind::UnknownEvent when charon has no such event.
    std::expected<void, ViciError> subscribe(std::string_view event, ViciEventHandler handler);
    std::expected<void, ViciError> unsubscribe(std::string_view event);

    // Waits up to `wait` for events, dispatches every one that has arrived
    // and returns how many (0 when none came in time).
    std::expected<std::size_t, ViciError> dispatch_events(std::chrono::milliseconds wait);

    // Writes `segment` exactly as given (length header included) and waits
    // for a command reply as request() does. For tests and diagnostics of
    // charon's handling of malformed input; `what` names it in errors.
    std::expected<ViciMessage, ViciError> request_preframed(std::span<const std::uint8_t> segment,
                                                            std::string_view what,
                                                            std::optional<std::chrono::milliseconds> timeout = {});

private:
    struct State;
    explicit ViciSession(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace winipsec::ike
