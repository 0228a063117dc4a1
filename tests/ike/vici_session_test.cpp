// The session's discipline against a scripted peer: events interleaved with
// replies, streamed listings, and every way a reply can go wrong.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>

#include "ike/vici_commands.hpp"
#include "ike/vici_session.hpp"
#include "vici_bytes.hpp"
#include "vici_test_peer.hpp"

using namespace winipsec::ike;
using namespace std::chrono_literals;
using test::ViciTestPeer;

namespace {

ViciPacket event(std::string name, const ViciMessage& message) {
    return {ViciPacketType::Event, std::move(name), *encode_message(message)};
}

ViciPacket response(const ViciMessage& message) {
    return {ViciPacketType::CmdResponse, "", *encode_message(message)};
}

ViciPacket bare(ViciPacketType type) {
    return {type, "", {}};
}

ViciSession connect(const ViciTestPeer& peer, std::chrono::milliseconds timeout = 2000ms, ViciTrace trace = nullptr) {
    auto session = ViciSession::connect(peer.uri(), {timeout, std::move(trace), {}});
    REQUIRE(session);
    return std::move(*session);
}

}  // namespace

TEST_SUITE("vici_session") {
    TEST_CASE("events that arrive before a response go to their handler; the response is the reply") {
        ViciMessage log;
        log.add("group", "CFG").add("level", "1").add("msg", "added vici connection: gw");
        ViciTestPeer peer([&](int fd) {
            auto reg = ViciTestPeer::read_payload(fd);
            CHECK(reg == test::bytes({3, 3, "log"}));
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventConfirm));
            auto request = ViciTestPeer::read_payload(fd);
            CHECK(request == test::bytes({0, 7, "version"}));
            ViciTestPeer::write_packet(fd, event("log", log));
            ViciTestPeer::write_packet(fd, event("log", log));
            ViciTestPeer::write_packet(fd, response(ViciMessage{}.add("daemon", "charon").add("version", "5.9.8")));
        });
        auto session = connect(peer);
        int seen = 0;
        REQUIRE(session.subscribe("log", [&](const ViciEvent& e) {
            ++seen;
            CHECK(e.name == "log");
            CHECK(*e.message.value("msg") == "added vici connection: gw");
        }));
        auto version = vici_version(session);
        REQUIRE(version);
        CHECK(version->version == "5.9.8");
        CHECK(seen == 2);
    }

    TEST_CASE("a streamed listing registers, collects its events up to the response, and unregisters") {
        ViciMessage sa;
        sa.add_section("gw").add("version", "1").add("state", "ESTABLISHED");
        ViciTestPeer peer([&](int fd) {
            CHECK(ViciTestPeer::read_payload(fd) == test::bytes({3, 7, "list-sa"}));
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventConfirm));
            CHECK(ViciTestPeer::read_payload(fd) == test::bytes({0, 8, "list-sas"}));
            ViciTestPeer::write_packet(fd, event("list-sa", sa));
            ViciTestPeer::write_packet(fd, event("list-sa", sa));
            ViciTestPeer::write_packet(fd, response(ViciMessage{}));
            CHECK(ViciTestPeer::read_payload(fd) == test::bytes({4, 7, "list-sa"}));
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventConfirm));
        });
        auto session = connect(peer);
        auto sas = list_sas(session);
        REQUIRE(sas);
        REQUIRE(sas->size() == 2);
        CHECK((*sas)[0].name == "gw");
        CHECK((*sas)[0].version == 1);
        CHECK(session.usable());
    }

    TEST_CASE("silence is a timeout that names the command, and the session is not reused") {
        ViciTestPeer peer([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::read_payload(fd);  // silent until the session hangs up
        });
        auto session = connect(peer, 200ms);
        auto start = std::chrono::steady_clock::now();
        auto reply = session.request("version");
        auto waited = std::chrono::steady_clock::now() - start;
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Timeout);
        CHECK(reply.error().message.starts_with("no reply from charon to version within 200 ms on unix:///tmp/"));
        CHECK(waited >= 190ms);
        CHECK(waited < 2s);
        CHECK_FALSE(session.usable());
        auto again = session.request("version");
        REQUIRE_FALSE(again);
        CHECK(again.error().kind == ViciError::Kind::Unusable);
    }

    TEST_CASE("a reply header over 512 KiB is refused without reading it") {
        ViciTestPeer peer([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_bytes(fd, test::bytes({0, 8, 0, 1, 1}));
        });
        auto session = connect(peer);
        auto reply = session.request("stats");
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::TooLarge);
        CHECK_FALSE(session.usable());
    }

    TEST_CASE("a connection closed mid-reply and a garbage reply are errors") {
        ViciTestPeer closing([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_bytes(fd, test::bytes({0, 0, 0, 20, 1, 3}));
        });
        auto session = connect(closing);
        auto reply = session.request("stats");
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Io);
        CHECK(reply.error().message.find("mid-message") != std::string::npos);

        ViciTestPeer garbage([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_bytes(fd, test::bytes({0, 0, 0, 3, 1, 6, 2}));
        });
        auto second = connect(garbage);
        reply = second.request("stats");
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Malformed);
        CHECK(reply.error().message ==
              "charon's reply to 'stats' is malformed: at byte 0: list end without an open list");
    }

    TEST_CASE("CMD_UNKNOWN, EVENT_UNKNOWN and success=no are errors that leave the session usable") {
        ViciTestPeer peer([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::CmdUnknown));
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventUnknown));
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_packet(
                fd,
                response(ViciMessage{}.add("success", "no").add("errmsg", "unknown option: bogus, config discarded")));
        });
        auto session = connect(peer);
        auto unknown = session.request("no-such-command");
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().kind == ViciError::Kind::UnknownCommand);
        CHECK(unknown.error().message == "charon does not know command 'no-such-command'");
        auto no_event = session.subscribe("no-such-event", [](const ViciEvent&) {});
        REQUIRE_FALSE(no_event);
        CHECK(no_event.error().kind == ViciError::Kind::UnknownEvent);
        ViciSection conn;
        conn.add("bogus", "1");
        auto refused = load_conn(session, "gw", conn);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::Failed);
        CHECK(refused.error().daemon_message == "unknown option: bogus, config discarded");
        CHECK(refused.error().message == "charon: load-conn failed: unknown option: bogus, config discarded");
        CHECK(session.usable());
    }

    TEST_CASE("the trace of a load-shared request never shows the key") {
        ViciTestPeer peer([](int fd) {
            auto request = ViciTestPeer::read_payload(fd);
            std::string raw(request.begin(), request.end());
            CHECK(raw.find("hunter2-psk") != std::string::npos);  // it does go to charon
            ViciTestPeer::write_packet(fd, response(ViciMessage{}.add("success", "yes")));
        });
        std::string trace;
        auto session = connect(peer, 2000ms, [&](std::string_view line) { (trace += line) += '\n'; });
        REQUIRE(load_shared(session, {"ike-gw", "IKE", winipsec::Secret("hunter2-psk"), {"192.0.2.1"}}));
        CHECK(trace.find("hunter2") == std::string::npos);
        CHECK(trace.find("-> CMD_REQUEST load-shared {contents withheld}") != std::string::npos);
    }

    TEST_CASE("an event handler may not call back into its session") {
        ViciTestPeer peer([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventConfirm));
            ViciTestPeer::write_packet(fd, event("log", ViciMessage{}.add("msg", "x")));
        });
        auto session = connect(peer);
        REQUIRE(session.subscribe("log", [&](const ViciEvent&) { (void)session.request("version"); }));
        CHECK_THROWS_AS((void)session.dispatch_events(1000ms), std::logic_error);
    }

    TEST_CASE("dispatch_events returns what arrived, or 0 after the wait") {
        ViciTestPeer peer([](int fd) {
            ViciTestPeer::read_payload(fd);
            ViciTestPeer::write_packet(fd, bare(ViciPacketType::EventConfirm));
            for (int i = 0; i < 3; ++i) ViciTestPeer::write_packet(fd, event("ike-updown", ViciMessage{}));
            ViciTestPeer::read_payload(fd);  // hold the connection open until the session hangs up
        });
        auto session = connect(peer);
        std::atomic<int> seen = 0;
        REQUIRE(session.subscribe("ike-updown", [&](const ViciEvent&) { ++seen; }));
        std::size_t total = 0;
        for (int i = 0; i < 10 && total < 3; ++i) total += session.dispatch_events(500ms).value_or(0);
        CHECK(total == 3);
        CHECK(seen == 3);
        auto none = session.dispatch_events(50ms);
        REQUIRE(none);
        CHECK(*none == 0);
    }

    TEST_CASE("connecting to a missing socket says so") {
        auto session = ViciSession::connect("unix:///nonexistent/charon.vici");
        REQUIRE_FALSE(session);
        CHECK(session.error().kind == ViciError::Kind::Connect);
        CHECK(session.error().message ==
              "no VICI socket at /nonexistent/charon.vici: is charon running with the vici plugin?");
    }
}
