#include <doctest/doctest.h>

#include "import/decoded_text.hpp"

using winipsec::decode_bytes;

TEST_CASE("UTF-8 with and without BOM, CRLF folded to LF") {
    auto plain = decode_bytes("a\r\nb\n", "x");
    REQUIRE(plain);
    CHECK(plain->utf8 == "a\nb\n");
    CHECK(plain->encoding == "UTF-8");
    auto bom = decode_bytes("\xEF\xBB\xBFnetsh\r\n", "x");
    REQUIRE(bom);
    CHECK(bom->utf8 == "netsh\n");
}

TEST_CASE("UTF-16LE and UTF-16BE with BOM") {
    const std::string le(
        "\xFF\xFE"
        "a\0=\0\r\0\n\0",
        10);
    auto d = decode_bytes(le, "x");
    REQUIRE(d);
    CHECK(d->utf8 == "a=\n");
    CHECK(d->encoding == "UTF-16LE");
    const std::string be("\xFE\xFF\0a\0b", 6);
    auto e = decode_bytes(be, "x");
    REQUIRE(e);
    CHECK(e->utf8 == "ab");
}

TEST_CASE("bytes that are not UTF-8 are read as GBK (CP936)") {
    // "策略" in GBK
    auto d = decode_bytes("name=\xB2\xDF\xC2\xD4", "x");
    REQUIRE(d);
    CHECK(d->encoding == "GBK");
    CHECK(d->utf8 == "name=\xE7\xAD\x96\xE7\x95\xA5");
}

TEST_CASE("--encoding forces a code page; an unknown one is a usage error") {
    auto d = decode_bytes("caf\xE9", "x", std::string("CP1252"));
    REQUIRE(d);
    CHECK(d->utf8 == "caf\xC3\xA9");
    auto bad = decode_bytes("x", "x", std::string("NO-SUCH-CODEPAGE"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == winipsec::Error::Kind::Usage);
}

TEST_CASE("truncated UTF-8 at the end is not taken for UTF-8") {
    auto d = decode_bytes("abc\xE7\xAD", "x");
    REQUIRE(d);
    CHECK(d->encoding != "UTF-8");
}
