// The VICI message codec against byte-exact vectors (the README's example and
// hand-built ones from ../shared/spec/linux-targets.md 1.3) and against
// malformed input, which must end in an error value that says where.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "ike/vici_codec.hpp"
#include "vici_bytes.hpp"

using namespace winipsec::ike;
using winipsec::ike::test::bytes;

TEST_SUITE("vici_codec") {
    TEST_CASE("the README's encoding example encodes and decodes byte for byte") {
        auto encoded = encode_message(test::readme_example_message());
        REQUIRE(encoded);
        CHECK(*encoded == test::readme_example_bytes());

        auto decoded = decode_message(test::readme_example_bytes());
        REQUIRE(decoded);
        CHECK(*decoded == test::readme_example_message());
        REQUIRE(decoded->section("section1"));
        CHECK(*decoded->section("section1")->section("sub-section")->value("key2") == "value2");
        CHECK(*decoded->section("section1")->list("list1") == std::vector<std::string>{"item1", "item2"});
    }

    TEST_CASE("an empty message is zero bytes") {
        auto encoded = encode_message(ViciMessage{});
        REQUIRE(encoded);
        CHECK(encoded->empty());
        auto decoded = decode_message({});
        REQUIRE(decoded);
        CHECK(decoded->empty());
    }

    TEST_CASE("empty values, empty lists, empty sections and empty names keep their shape") {
        ViciMessage message;
        message.add("empty", "");
        message.add_list("none", {});
        message.add_list("blank-item", {""});
        message.add_section("void");
        message.add("", "unnamed");
        ViciBytes expected = bytes({3, 5,        "empty",
                                    0, 0,  //
                                    4, 4,        "none",
                                    6,  //
                                    4, 10,       "blank-item",
                                    5, 0,        0,
                                    6,  //
                                    1, 4,        "void",
                                    2,  //
                                    3, 0,        0,
                                    7, "unnamed"});
        auto encoded = encode_message(message);
        REQUIRE(encoded);
        CHECK(*encoded == expected);
        auto decoded = decode_message(expected);
        REQUIRE(decoded);
        CHECK(*decoded == message);
        CHECK(*decoded->value("empty") == "");
        CHECK(decoded->list("none")->empty());
        CHECK(decoded->section("void")->empty());
    }

    TEST_CASE("binary values carry every byte value, NUL included") {
        std::string all;
        for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
        ViciMessage message;
        message.add("data", all);
        message.add_list("blobs", {std::string("\0\xff", 2)});
        auto encoded = encode_message(message);
        REQUIRE(encoded);
        REQUIRE(encoded->size() == 1 + 1 + 4 + 2 + 256 + 1 + 1 + 5 + 1 + 2 + 2 + 1);
        CHECK((*encoded)[6] == 0x01);  // u16 big-endian 256
        CHECK((*encoded)[7] == 0x00);
        auto decoded = decode_message(*encoded);
        REQUIRE(decoded);
        CHECK(*decoded->value("data") == all);
        CHECK(decoded->list("blobs")->front() == std::string("\0\xff", 2));
    }

    TEST_CASE("deeply nested sections as charon sends list-sa (IKE SA > child-sas > child > lists)") {
        ViciMessage message;
        ViciSection& ike = message.add_section("gw");
        ike.add("version", "1").add("state", "ESTABLISHED");
        ViciSection& child = ike.add_section("child-sas").add_section("net-1");
        child.add("mode", "TUNNEL").add_list("local-ts", {"198.51.100.0/24"}).add_list("remote-ts", {"203.0.113.0/24"});
        ViciBytes expected = bytes({1,
                                    2,
                                    "gw",  //
                                    3,
                                    7,
                                    "version",
                                    0,
                                    1,
                                    "1",  //
                                    3,
                                    5,
                                    "state",
                                    0,
                                    11,
                                    "ESTABLISHED",  //
                                    1,
                                    9,
                                    "child-sas",
                                    1,
                                    5,
                                    "net-1",  //
                                    3,
                                    4,
                                    "mode",
                                    0,
                                    6,
                                    "TUNNEL",  //
                                    4,
                                    8,
                                    "local-ts",
                                    5,
                                    0,
                                    15,
                                    "198.51.100.0/24",
                                    6,  //
                                    4,
                                    9,
                                    "remote-ts",
                                    5,
                                    0,
                                    14,
                                    "203.0.113.0/24",
                                    6,  //
                                    2,
                                    2,
                                    2});
        auto encoded = encode_message(message);
        REQUIRE(encoded);
        CHECK(*encoded == expected);
        auto decoded = decode_message(expected);
        REQUIRE(decoded);
        CHECK(*decoded == message);
    }

    TEST_CASE("the largest name and value fit their length fields exactly") {
        std::string name(255, 'n');
        std::string value(65535, 'v');
        ViciMessage message;
        message.add(name, value);
        auto encoded = encode_message(message);
        REQUIRE(encoded);
        CHECK(encoded->size() == 1 + 1 + 255 + 2 + 65535);
        CHECK((*encoded)[1] == 255);
        CHECK((*encoded)[257] == 0xff);
        CHECK((*encoded)[258] == 0xff);
        auto decoded = decode_message(*encoded);
        REQUIRE(decoded);
        CHECK(*decoded->value(name) == value);
    }

    TEST_CASE("a name or value over its length field is refused, naming the key but never the value") {
        ViciMessage long_name;
        long_name.add_section("conn").add(std::string(256, 'k'), "v");
        auto refused = encode_message(long_name);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::TooLarge);
        CHECK(refused.error().message.find("256 bytes") != std::string::npos);

        ViciMessage long_value;
        long_value.add_section("secret-holder").add("data", std::string(65536, 'S'));
        refused = encode_message(long_value);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("secret-holder.data") != std::string::npos);
        CHECK(refused.error().message.find("SSSS") == std::string::npos);

        ViciMessage long_item;
        long_item.add_list("owners", {"a", std::string(70000, 'x')});
        CHECK_FALSE(encode_message(long_item));

        ViciBytes out = {9, 9};
        CHECK_FALSE(encode_message(long_value, out));
        CHECK(out == ViciBytes{9, 9});  // left as it was
    }

    TEST_CASE("decoding keeps repeated keys in order (charon repeats them in get-algorithms)") {
        auto decoded = decode_message(bytes({3, 3, "AES", 0, 3, "aes", 3, 3, "AES", 0, 7, "openssl"}));
        REQUIRE(decoded);
        REQUIRE(decoded->entries().size() == 2);
        CHECK(*decoded->value("AES") == "aes");
        CHECK(decoded->entries()[1].value == "openssl");
    }

    TEST_CASE("truncation at every offset of the README example is an error, never a crash or a guess") {
        ViciBytes full = test::readme_example_bytes();
        for (std::size_t cut = 1; cut < full.size(); ++cut) {
            CAPTURE(cut);
            std::span<const std::uint8_t> prefix(full.data(), cut);
            auto decoded = decode_message(prefix);
            // Cutting right after a complete top-level element leaves a valid
            // message; only offset 14 (after key1 = value1) is such a point.
            if (cut == 14) {
                REQUIRE(decoded);
                CHECK(decoded->entries().size() == 1);
                continue;
            }
            REQUIRE_FALSE(decoded);
            CHECK(decoded.error().offset <= cut);
            CHECK_FALSE(decoded.error().reason.empty());
        }
    }

    TEST_CASE("lengths that run past the end are reported with the element's offset") {
        auto name_past_end = decode_message(bytes({3, 200, "key"}));
        REQUIRE_FALSE(name_past_end);
        CHECK(name_past_end.error().offset == 0);
        CHECK(name_past_end.error().reason == "name of 200 bytes runs past the end (3 left)");

        auto value_past_end = decode_message(bytes({3, 1, "k", 0, 1, "v", 3, 1, "k", 0xff, 0xff, "short"}));
        REQUIRE_FALSE(value_past_end);
        CHECK(value_past_end.error().offset == 6);
        CHECK(value_past_end.error().describe() == "at byte 6: value of 65535 bytes runs past the end (5 left)");

        auto missing_value_length = decode_message(bytes({3, 1, "k", 0}));
        REQUIRE_FALSE(missing_value_length);
        CHECK(missing_value_length.error().reason == "value length missing");

        auto item_past_end = decode_message(bytes({4, 1, "l", 5, 0, 9, "abc"}));
        REQUIRE_FALSE(item_past_end);
        CHECK(item_past_end.error().offset == 3);
    }

    TEST_CASE("structures the README calls invalid are refused") {
        struct Case {
            ViciBytes input;
            std::string reason;
        };
        const Case cases[] = {
            {bytes({2}), "section end without an open section"},
            {bytes({5, 0, 1, "x"}), "list item outside a list"},
            {bytes({6}), "list end without an open list"},
            {bytes({0}), "unknown element type 0"},
            {bytes({7}), "unknown element type 7"},
            {bytes({255}), "unknown element type 255"},
            {bytes({4, 1, "a", 4, 1, "b", 6, 6}), "element type 4 inside list 'a' (lists hold only items)"},
            {bytes({4, 1, "a", 3, 1, "k", 0, 0, 6}), "element type 3 inside list 'a' (lists hold only items)"},
            {bytes({4, 1, "a", 1, 1, "s", 2, 6}), "element type 1 inside list 'a' (lists hold only items)"},
            {bytes({4, 1, "a", 5, 0, 0}), "list 'a' is not closed"},
            {bytes({1, 1, "s", 1, 1, "t", 2}), "message ends inside a section (1 left open)"},
            {bytes({1, 1, "s", 3, 1, "k", 0, 0}), "message ends inside a section (1 left open)"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.reason);
            auto decoded = decode_message(c.input);
            REQUIRE_FALSE(decoded);
            CHECK(decoded.error().reason == c.reason);
        }
    }

    TEST_CASE("a depth bomb stops at the depth limit without deep recursion") {
        ViciBytes bomb;
        for (int i = 0; i < 200000; ++i) bomb.insert(bomb.end(), {1, 0});
        auto decoded = decode_message(bomb);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().reason == "sections nested deeper than 32");
        CHECK(decoded.error().offset == 64);  // the 33rd SECTION_START

        ViciBytes exactly_limit;
        for (int i = 0; i < 32; ++i) exactly_limit.insert(exactly_limit.end(), {1, 0});
        for (int i = 0; i < 32; ++i) exactly_limit.push_back(2);
        CHECK(decode_message(exactly_limit));
        CHECK_FALSE(decode_message(exactly_limit, ViciDecodeLimits{4}));
    }

    TEST_CASE("a long flat message decodes (no per-element recursion)") {
        ViciMessage message;
        for (int i = 0; i < 20000; ++i) message.add("k" + std::to_string(i), std::to_string(i));
        auto encoded = encode_message(message);
        REQUIRE(encoded);
        auto decoded = decode_message(*encoded);
        REQUIRE(decoded);
        CHECK(decoded->entries().size() == 20000);
        CHECK(decoded->number("k19999") == 19999);
    }

    TEST_CASE("mutated messages never crash: each decodes to something that re-encodes, or fails") {
        std::mt19937 random(20240605);  // fixed seed: the same inputs on every run
        ViciBytes base = test::readme_example_bytes();
        int decoded_count = 0;
        for (int round = 0; round < 20000; ++round) {
            ViciBytes input = base;
            int flips = 1 + static_cast<int>(random() % 4);
            for (int f = 0; f < flips; ++f) input[random() % input.size()] = static_cast<std::uint8_t>(random());
            if (random() % 3 == 0) input.resize(random() % (input.size() + 1));
            auto decoded = decode_message(input);
            if (!decoded) {
                CHECK(decoded.error().offset <= input.size());
                continue;
            }
            ++decoded_count;
            auto again = encode_message(*decoded);
            REQUIRE(again);
            CHECK(*again == input);  // the encoding is canonical: nothing is lost or invented
        }
        MESSAGE(decoded_count, " of 20000 mutated inputs were still valid messages");
    }
}
