// Framing and the packet layer: byte-exact segments for each packet type,
// the 512 KiB cap in both directions, and strict parsing of what charon sends.
#include <doctest/doctest.h>

#include <array>

#include "ike/vici_packet.hpp"
#include "vici_bytes.hpp"

using namespace winipsec::ike;
using winipsec::ike::test::bytes;

TEST_SUITE("vici_packet") {
    TEST_CASE("a CMD_REQUEST is length, type, name length, name, message") {
        ViciPacket request{ViciPacketType::CmdRequest, "version", {}};
        auto segment = frame_packet(request);
        REQUIRE(segment);
        CHECK(*segment == bytes({0, 0, 0, 9, 0, 7, "version"}));

        ViciPacket unload{ViciPacketType::CmdRequest, "unload-conn", bytes({3, 4, "name", 0, 2, "gw"})};
        segment = frame_packet(unload);
        REQUIRE(segment);
        CHECK(*segment == bytes({0, 0, 0, 23, 0, 11, "unload-conn", 3, 4, "name", 0, 2, "gw"}));
    }

    TEST_CASE("event (un)registration is named and carries no message") {
        auto reg = frame_packet({ViciPacketType::EventRegister, "log", {}});
        REQUIRE(reg);
        CHECK(*reg == bytes({0, 0, 0, 5, 3, 3, "log"}));
        auto unreg = frame_packet({ViciPacketType::EventUnregister, "ike-updown", {}});
        REQUIRE(unreg);
        CHECK(*unreg == bytes({0, 0, 0, 12, 4, 10, "ike-updown"}));
    }

    TEST_CASE("unnamed packets are a type byte, plus the message where the type has one") {
        CHECK(*frame_packet({ViciPacketType::CmdUnknown, "", {}}) == bytes({0, 0, 0, 1, 2}));
        CHECK(*frame_packet({ViciPacketType::EventConfirm, "", {}}) == bytes({0, 0, 0, 1, 5}));
        CHECK(*frame_packet({ViciPacketType::CmdResponse, "", bytes({3, 1, "k", 0, 1, "v"})}) ==
              bytes({0, 0, 0, 7, 1, 3, 1, "k", 0, 1, "v"}));
        auto named_confirm = frame_packet({ViciPacketType::EventConfirm, "x", {}});
        REQUIRE_FALSE(named_confirm);
        CHECK(named_confirm.error().kind == ViciError::Kind::Malformed);
        CHECK_FALSE(frame_packet({ViciPacketType::EventRegister, "log", bytes({2})}));
    }

    TEST_CASE("segments up to 512 KiB are framed, one byte more is refused before anything is sent") {
        const std::size_t overhead = 1 + 1 + 9;  // type, name length, "load-conn"
        ViciPacket fits{ViciPacketType::CmdRequest, "load-conn", ViciBytes(vici_segment_max - overhead, 0)};
        auto segment = frame_packet(fits);
        REQUIRE(segment);
        CHECK(segment->size() == vici_segment_max + 4);
        CHECK(*segment_length(std::span<const std::uint8_t, 4>(segment->data(), 4)) == 524288);

        fits.message.push_back(0);
        auto refused = frame_packet(fits);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::TooLarge);
        CHECK(
            refused.error().message ==
            "VICI CMD_REQUEST 'load-conn' would be 524289 bytes; charon accepts at most 524288 (512 KiB) per message");

        auto long_name = frame_packet({ViciPacketType::CmdRequest, std::string(256, 'c'), {}});
        REQUIRE_FALSE(long_name);
        CHECK(long_name.error().kind == ViciError::Kind::TooLarge);
    }

    TEST_CASE("an inbound header over the cap is refused") {
        std::array<std::uint8_t, 4> at_cap = {0, 8, 0, 0};
        CHECK(*segment_length(at_cap) == 524288);
        std::array<std::uint8_t, 4> over = {0, 8, 0, 1};
        auto refused = segment_length(over);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::TooLarge);
        std::array<std::uint8_t, 4> huge = {0xff, 0xff, 0xff, 0xff};
        CHECK_FALSE(segment_length(huge));
        std::array<std::uint8_t, 4> zero = {0, 0, 0, 0};
        CHECK(*segment_length(zero) == 0);
    }

    TEST_CASE("parsing splits name and message by type") {
        auto event = parse_packet(bytes({7, 3, "log", 3, 3, "msg", 0, 2, "hi"}));
        REQUIRE(event);
        CHECK(event->type == ViciPacketType::Event);
        CHECK(event->name == "log");
        CHECK(event->message == bytes({3, 3, "msg", 0, 2, "hi"}));

        auto response = parse_packet(bytes({1}));
        REQUIRE(response);
        CHECK(response->type == ViciPacketType::CmdResponse);
        CHECK(response->message.empty());

        for (int type : {2, 5, 6}) {
            CAPTURE(type);
            auto bare = parse_packet(bytes({type}));
            REQUIRE(bare);
            CHECK(static_cast<int>(bare->type) == type);
        }
    }

    TEST_CASE("malformed packets are errors") {
        struct Case {
            ViciBytes payload;
            std::string message;
        };
        const Case cases[] = {
            {{}, "malformed VICI packet: empty segment"},
            {bytes({8}), "malformed VICI packet: unknown packet type 8"},
            {bytes({7}), "malformed VICI packet: EVENT without a name"},
            {bytes({7, 5, "log"}), "malformed VICI packet: EVENT name of 5 bytes runs past the end (3 left)"},
            {bytes({0, 1}), "malformed VICI packet: CMD_REQUEST name of 1 bytes runs past the end (0 left)"},
            {bytes({2, 0}), "malformed VICI packet: CMD_UNKNOWN with 1 unexpected trailing bytes"},
            {bytes({5, 1, 2}), "malformed VICI packet: EVENT_CONFIRM with 2 unexpected trailing bytes"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.message);
            auto parsed = parse_packet(c.payload);
            REQUIRE_FALSE(parsed);
            CHECK(parsed.error().kind == ViciError::Kind::Malformed);
            CHECK(parsed.error().message == c.message);
        }
    }

    TEST_CASE("every prefix of a framed event parses or fails cleanly") {
        auto segment = frame_packet({ViciPacketType::Event, "list-sa", test::readme_example_bytes()});
        REQUIRE(segment);
        std::span<const std::uint8_t> payload(segment->data() + 4, segment->size() - 4);
        for (std::size_t cut = 0; cut <= payload.size(); ++cut) {
            auto parsed = parse_packet(payload.first(cut));
            if (cut < 1 + 1 + 7) {
                CHECK_FALSE(parsed);
            } else {
                REQUIRE(parsed);  // the packet layer only splits; the codec judges the message
                CHECK(parsed->message.size() == cut - 9);
            }
        }
    }
}
