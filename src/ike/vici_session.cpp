#include "ike/vici_session.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "ike/vici_text.hpp"

namespace winipsec::ike {
namespace {

using std::chrono::milliseconds;

// Requests whose whole message is secret material: the trace shows only the
// command name, whatever key names a future version uses.
bool carries_secret(std::string_view command) {
    return command == "load-shared" || command == "load-key" || command == "load-token";
}

bool is_one_of(ViciPacketType type, std::initializer_list<ViciPacketType> types) {
    for (auto t : types)
        if (t == type) return true;
    return false;
}

}  // namespace

struct ViciSession::State {
    std::string uri;
    ViciSessionOptions options;
    ViciStream stream;
    std::map<std::string, ViciEventHandler, std::less<>> handlers;
    std::optional<std::string> broken;  // why the session is unusable
    bool in_handler = false;
    // The event a streamed command is collecting, and where to.
    std::string collecting;
    std::vector<ViciMessage>* collected = nullptr;
    milliseconds budget{0};  // of the wait in progress, for error messages

    ViciClock::time_point deadline(std::optional<milliseconds> timeout) {
        budget = timeout.value_or(options.timeout);
        return ViciClock::now() + budget;
    }

    void trace(std::string_view line) const {
        if (options.trace) options.trace(line);
    }

    std::expected<void, ViciError> check_usable() const {
        if (in_handler) throw std::logic_error("a VICI event handler called back into its session");
        if (broken)
            return std::unexpected(ViciError::make(
                ViciError::Kind::Unusable,
                fmt::format("the VICI session to {} is unusable after an earlier error ({}); open a new one", uri,
                            *broken)));
        return {};
    }

    // A stream-level failure leaves bytes of unknown meaning on the
    // connection: remember it and refuse further use.
    ViciError breaks(ViciError error) {
        if (!broken) broken = error.message;
        return error;
    }

    std::expected<void, ViciError> write(std::span<const std::uint8_t> segment, ViciClock::time_point until) {
        auto ok = stream.write_segment(segment, until);
        if (!ok) return std::unexpected(breaks(ok.error()));
        return {};
    }

    std::expected<void, ViciError> send(const ViciPacket& packet, std::string_view shown, ViciClock::time_point until) {
        auto segment = frame_packet(packet);
        if (!segment) return std::unexpected(segment.error());  // nothing was sent: still usable
        trace(fmt::format("-> {} {}{}{}", packet_type_name(packet.type), packet.name, shown.empty() ? "" : " ", shown));
        return write(*segment, until);
    }

    std::expected<void, ViciError> deliver(ViciPacket packet) {
        auto message = decode_message(packet.message, options.limits);
        if (!message)
            return std::unexpected(breaks(ViciError::make(
                ViciError::Kind::Malformed,
                fmt::format("charon sent a malformed '{}' event: {}", packet.name, message.error().describe()))));
        trace(fmt::format("<- EVENT {} {}", packet.name, format_vici_inline(*message)));
        if (collected && packet.name == collecting) {
            collected->push_back(std::move(*message));
            return {};
        }
        auto handler = handlers.find(packet.name);
        if (handler == handlers.end()) return {};  // unsubscribed while it was on its way
        ViciEvent event{std::move(packet.name), std::move(*message)};
        in_handler = true;
        try {
            handler->second(event);
        } catch (...) {
            in_handler = false;
            throw;
        }
        in_handler = false;
        return {};
    }

    // Reads packets, delivering events, until one of `wanted` arrives.
    std::expected<ViciPacket, ViciError> await(std::initializer_list<ViciPacketType> wanted,
                                               std::string_view waiting_for, ViciClock::time_point until) {
        while (true) {
            auto payload = stream.read_segment(until);
            if (!payload) {
                ViciError error = payload.error();
                // charon answers a request it cannot parse with nothing at
                // all, so say that this is one possible cause.
                if (error.kind == ViciError::Kind::Timeout)
                    error.message = fmt::format(
                        "no reply from charon to {} within {} ms on {} (charon sends none to a request it cannot "
                        "parse)",
                        waiting_for, budget.count(), uri);
                return std::unexpected(breaks(std::move(error)));
            }
            auto packet = parse_packet(*payload);
            if (!packet) return std::unexpected(breaks(packet.error()));
            if (packet->type == ViciPacketType::Event) {
                if (auto ok = deliver(std::move(*packet)); !ok) return std::unexpected(ok.error());
                continue;
            }
            trace(fmt::format("<- {}", packet_type_name(packet->type)));
            if (is_one_of(packet->type, wanted)) return std::move(*packet);
            return std::unexpected(breaks(ViciError::make(
                ViciError::Kind::Malformed, fmt::format("charon sent {} while winipsec waited for the reply to {}",
                                                        packet_type_name(packet->type), waiting_for))));
        }
    }

    std::expected<ViciMessage, ViciError> command_reply(std::string_view command, ViciClock::time_point until) {
        auto reply = await({ViciPacketType::CmdResponse, ViciPacketType::CmdUnknown}, command, until);
        if (!reply) return std::unexpected(reply.error());
        if (reply->type == ViciPacketType::CmdUnknown)
            return std::unexpected(ViciError::make(ViciError::Kind::UnknownCommand,
                                                   fmt::format("charon does not know command '{}'", command)));
        auto message = decode_message(reply->message, options.limits);
        if (!message)
            return std::unexpected(breaks(ViciError::make(
                ViciError::Kind::Malformed,
                fmt::format("charon's reply to '{}' is malformed: {}", command, message.error().describe()))));
        trace(fmt::format("<- {} {}", command, format_vici_inline(*message)));
        return std::move(*message);
    }

    std::expected<void, ViciError> registration(std::string_view event, bool subscribe) {
        ViciPacket packet{
            subscribe ? ViciPacketType::EventRegister : ViciPacketType::EventUnregister, std::string(event), {}};
        auto until = deadline(std::nullopt);
        if (auto ok = send(packet, "", until); !ok) return ok;
        std::string what = fmt::format("{} '{}'", subscribe ? "registration for" : "unregistration from", event);
        auto reply = await({ViciPacketType::EventConfirm, ViciPacketType::EventUnknown}, what, until);
        if (!reply) return std::unexpected(reply.error());
        if (reply->type == ViciPacketType::EventUnknown)
            return std::unexpected(ViciError::make(
                ViciError::Kind::UnknownEvent,
                subscribe ? fmt::format("charon does not know event '{}'", event)
                          : fmt::format("charon refused to unregister from '{}' (not registered?)", event)));
        return {};
    }

    std::expected<ViciMessage, ViciError> request(std::string_view command, const ViciMessage& arguments,
                                                  std::optional<milliseconds> timeout) {
        if (auto ok = check_usable(); !ok) return std::unexpected(ok.error());
        ViciPacket packet{ViciPacketType::CmdRequest, std::string(command), {}};
        if (auto ok = encode_message(arguments, packet.message); !ok) return std::unexpected(ok.error());
        auto until = deadline(timeout);
        std::string shown = carries_secret(command) ? "{contents withheld}" : format_vici_inline(arguments);
        if (auto ok = send(packet, shown, until); !ok) return std::unexpected(ok.error());
        return command_reply(command, until);
    }
};

ViciSession::ViciSession(std::unique_ptr<State> state) : state_(std::move(state)) {}
ViciSession::ViciSession(ViciSession&&) noexcept = default;
ViciSession& ViciSession::operator=(ViciSession&&) noexcept = default;
ViciSession::~ViciSession() = default;

std::expected<ViciSession, ViciError> ViciSession::connect(std::string_view uri, ViciSessionOptions options) {
    auto path = vici_socket_path(uri);
    if (!path) return std::unexpected(path.error());
    auto stream = ViciStream::connect(*path, ViciClock::now() + options.timeout);
    if (!stream) return std::unexpected(stream.error());
    auto state = std::unique_ptr<State>(
        new State{std::string(uri), std::move(options), std::move(*stream), {}, {}, false, {}, nullptr, {}});
    return ViciSession(std::move(state));
}

const std::string& ViciSession::uri() const {
    return state_->uri;
}
milliseconds ViciSession::timeout() const {
    return state_->options.timeout;
}
bool ViciSession::usable() const {
    return !state_->broken;
}

std::expected<ViciMessage, ViciError> ViciSession::request(std::string_view command, const ViciMessage& arguments,
                                                           std::optional<milliseconds> timeout) {
    return state_->request(command, arguments, timeout);
}

std::expected<ViciMessage, ViciError> ViciSession::request_checked(std::string_view command,
                                                                   const ViciMessage& arguments,
                                                                   std::optional<milliseconds> timeout) {
    auto reply = state_->request(command, arguments, timeout);
    if (!reply) return reply;
    if (reply->flag("success") == true) return reply;
    const std::string* errmsg = reply->value("errmsg");
    if (!reply->value("success"))
        return std::unexpected(ViciError::make(ViciError::Kind::Failed,
                                               fmt::format("charon's reply to '{}' has no success flag", command)));
    std::string reason = errmsg && !errmsg->empty() ? *errmsg : "no reason given";
    return std::unexpected(ViciError::make(ViciError::Kind::Failed,
                                           fmt::format("charon: {} failed: {}", command, reason),
                                           errmsg ? *errmsg : std::string()));
}

std::expected<ViciStreamedReply, ViciError> ViciSession::request_streamed(std::string_view command,
                                                                          const ViciMessage& arguments,
                                                                          std::string_view event,
                                                                          std::optional<milliseconds> timeout) {
    State& s = *state_;
    if (auto ok = s.check_usable(); !ok) return std::unexpected(ok.error());
    // charon adds a client to an event's list once per registration, so an
    // event we already hold a subscription for is not registered again.
    bool registered_here = !s.handlers.contains(event);
    if (registered_here)
        if (auto ok = s.registration(event, true); !ok) return std::unexpected(ok.error());

    ViciStreamedReply reply;
    s.collecting = std::string(event);
    s.collected = &reply.events;
    auto response = s.request(command, arguments, timeout);
    s.collected = nullptr;
    s.collecting.clear();

    if (registered_here && !s.broken) {
        if (auto ok = s.registration(event, false); !ok && response) return std::unexpected(ok.error());
    }
    if (!response) return std::unexpected(response.error());
    reply.response = std::move(*response);
    return reply;
}

std::expected<void, ViciError> ViciSession::subscribe(std::string_view event, ViciEventHandler handler) {
    State& s = *state_;
    if (auto ok = s.check_usable(); !ok) return ok;
    auto existing = s.handlers.find(event);
    if (existing != s.handlers.end()) {
        existing->second = std::move(handler);
        return {};
    }
    if (auto ok = s.registration(event, true); !ok) return ok;
    s.handlers.emplace(std::string(event), std::move(handler));
    return {};
}

std::expected<void, ViciError> ViciSession::unsubscribe(std::string_view event) {
    State& s = *state_;
    if (auto ok = s.check_usable(); !ok) return ok;
    auto existing = s.handlers.find(event);
    if (existing == s.handlers.end()) return {};
    s.handlers.erase(existing);
    return s.registration(event, false);
}

std::expected<std::size_t, ViciError> ViciSession::dispatch_events(milliseconds wait) {
    State& s = *state_;
    if (auto ok = s.check_usable(); !ok) return std::unexpected(ok.error());
    std::size_t count = 0;
    auto until = ViciClock::now() + wait;
    while (true) {
        auto readable = s.stream.wait_readable(count == 0 ? until : ViciClock::now());
        if (!readable) return std::unexpected(s.breaks(readable.error()));
        if (!*readable) return count;
        auto payload = s.stream.read_segment(s.deadline(std::nullopt));
        if (!payload) return std::unexpected(s.breaks(payload.error()));
        auto packet = parse_packet(*payload);
        if (!packet) return std::unexpected(s.breaks(packet.error()));
        if (packet->type != ViciPacketType::Event)
            return std::unexpected(s.breaks(ViciError::make(
                ViciError::Kind::Malformed,
                fmt::format("charon sent {} while no command was in flight", packet_type_name(packet->type)))));
        if (auto ok = s.deliver(std::move(*packet)); !ok) return std::unexpected(ok.error());
        ++count;
    }
}

std::expected<ViciMessage, ViciError> ViciSession::request_preframed(std::span<const std::uint8_t> segment,
                                                                     std::string_view what,
                                                                     std::optional<milliseconds> timeout) {
    State& s = *state_;
    if (auto ok = s.check_usable(); !ok) return std::unexpected(ok.error());
    auto until = s.deadline(timeout);
    s.trace(fmt::format("-> {} preframed bytes ({})", segment.size(), what));
    if (auto ok = s.write(segment, until); !ok) return std::unexpected(ok.error());
    return s.command_reply(what, until);
}

}  // namespace winipsec::ike
