// How a real charon 5.9.8 treats requests it cannot use, and that the
// session turns each into a clear error without hanging or crashing.
#include <doctest/doctest.h>

#include <chrono>

#include "ike/vici_commands.hpp"
#include "vici_charon_lab.hpp"
#include "vici_bytes.hpp"

using namespace winipsec::ike;
using namespace winipsec::ike::test;
using namespace std::chrono_literals;

TEST_SUITE("ike_charon_errors") {
    TEST_CASE("a malformed request gets no reply: the session times out, says so, and charon lives on") {
        auto session = lab_session("solo");
        // A CMD_REQUEST whose name length runs past the segment: charon logs
        // "invalid vici request message" and answers nothing.
        ViciBytes malformed = bytes({0, 0, 0, 3, 0, 50, "x"});
        auto start = std::chrono::steady_clock::now();
        auto reply = session.request_preframed(malformed, "a request with a bad name length", 500ms);
        auto waited = std::chrono::steady_clock::now() - start;
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Timeout);
        CHECK(reply.error().message.starts_with(
            "no reply from charon to a request with a bad name length within 500 ms"));
        CHECK(waited >= 490ms);
        CHECK(waited < 3s);
        CHECK_FALSE(session.usable());

        auto fresh = lab_session("solo");
        CHECK(vici_version(fresh));
    }

    TEST_CASE("an unknown packet type is ignored by charon: a timeout too") {
        auto session = lab_session("solo");
        auto reply = session.request_preframed(bytes({0, 0, 0, 1, 9}), "packet type 9", 300ms);
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Timeout);
    }

    TEST_CASE("a well-framed request with a broken message: load-conn refuses it, version ignores it") {
        auto session = lab_session("solo");
        auto load = session.request_preframed(bytes({0, 0, 0, 14, 0, 9, "load-conn", 6, 1, 9}), "load-conn");
        REQUIRE(load);
        CHECK(load->flag("success") == false);
        CHECK(*load->value("errmsg") == "parsing request failed");
        auto version = session.request_preframed(bytes({0, 0, 0, 12, 0, 7, "version", 6, 1, 9}), "version");
        REQUIRE(version);
        CHECK(*version->value("daemon") == "charon");
    }

    TEST_CASE("a segment over 512 KiB: we refuse to send it; sent anyway, charon hangs up") {
        auto session = lab_session("solo");
        ViciSection huge;
        ViciSection& children = huge.add_section("children");
        for (int i = 0; i < 3000; ++i)
            children.add_section("child-" + std::to_string(i))
                .add_list("local_ts", {std::string(100, '1')})
                .add_list("remote_ts", {std::string(100, '2')});
        auto refused = load_conn(session, "huge", huge);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::TooLarge);
        CHECK(session.usable());  // nothing was sent
        CHECK(vici_version(session));

        ViciBytes oversized(4 + 524289, 0);
        oversized[1] = 8;
        oversized[3] = 1;
        auto reply = session.request_preframed(oversized, "an oversized segment");
        REQUIRE_FALSE(reply);
        CHECK(reply.error().kind == ViciError::Kind::Io);
        CHECK(reply.error().message.find("closed the VICI connection") != std::string::npos);
    }

    TEST_CASE("unknown commands and events are named") {
        auto session = lab_session("solo");
        auto unknown = session.request("frobnicate");
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().kind == ViciError::Kind::UnknownCommand);
        CHECK(unknown.error().message == "charon does not know command 'frobnicate'");
        auto no_event = session.subscribe("no-such-event", [](const ViciEvent&) {});
        REQUIRE_FALSE(no_event);
        CHECK(no_event.error().message == "charon does not know event 'no-such-event'");
        // alert exists only from strongSwan 6.0.3 on; Debian 12 has 5.9.8.
        auto alert = session.subscribe("alert", [](const ViciEvent&) {});
        if (!alert) MESSAGE("no 'alert' event in this charon: ", alert.error().message);
        CHECK(session.usable());
    }
}
