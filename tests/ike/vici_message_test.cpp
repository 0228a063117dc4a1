// ViciMessage: building in order, typed reading, and the uniqueness rule.
#include <doctest/doctest.h>

#include <stdexcept>

#include "ike/vici_message.hpp"

using namespace winipsec::ike;

TEST_SUITE("vici_message") {
    TEST_CASE("entries keep the order they were added in") {
        ViciMessage message;
        message.add("b", "1").add_list("a", {"x"});
        message.add_section("c").add("d", "2");
        REQUIRE(message.entries().size() == 3);
        CHECK(message.entries()[0].name == "b");
        CHECK(message.entries()[1].kind == ViciEntry::Kind::List);
        CHECK(message.entries()[2].kind == ViciEntry::Kind::Section);
        CHECK(*message.section("c")->value("d") == "2");
    }

    TEST_CASE("typed accessors answer only for the matching kind") {
        ViciMessage message;
        message.add("success", "yes").add("up", "no").add("count", "42").add("negative", "-7").add("word", "4x");
        message.add_list("conns", {"a", "b"});
        message.add_section("stats");
        CHECK(message.flag("success") == true);
        CHECK(message.flag("up") == false);
        CHECK_FALSE(message.flag("count"));
        CHECK_FALSE(message.flag("missing"));
        CHECK(message.number("count") == 42);
        CHECK(message.number("negative") == -7);
        CHECK_FALSE(message.number("word"));
        CHECK_FALSE(message.number("conns"));
        CHECK(message.value("conns") == nullptr);
        CHECK(message.list("count") == nullptr);
        CHECK(message.section("conns") == nullptr);
        CHECK(message.list("conns")->size() == 2);
        CHECK(message.contains("stats"));
        CHECK_FALSE(message.contains("nothing"));
    }

    TEST_CASE("a prepared section can be attached, and equality is structural") {
        ViciSection connection;
        connection.add("version", "1").add_list("proposals", {"3des-sha1-modp1024"});
        ViciMessage a;
        a.add_section("gw", connection);
        ViciMessage b;
        b.add_section("gw").add("version", "1").add_list("proposals", {"3des-sha1-modp1024"});
        CHECK(a == b);
        b.add("extra", "");
        CHECK_FALSE(a == b);
    }

    TEST_CASE("a name used twice in one section is a programming error") {
        ViciMessage message;
        message.add("k", "v");
        CHECK_THROWS_AS(message.add("k", "w"), std::logic_error);
        CHECK_THROWS_AS(message.add_list("k", {}), std::logic_error);
        CHECK_THROWS_AS(message.add_section("k"), std::logic_error);
        // The same name in different sections is fine.
        message.add_section("s").add("k", "inner");
        CHECK(*message.section("s")->value("k") == "inner");
    }
}
