// Byte origins kept as runs (import/origin_map.hpp): every byte of a command
// still points at its file:line:column, through UTF-8, slices and substituted
// values.
#include <doctest/doctest.h>

#include <string>

#include "import/batch_lines.hpp"

using winipsec::OriginRun;
using winipsec::TextPosition;
using winipsec::batch::MappedText;

namespace {

MappedText physical(std::string_view bytes, int line, bool ascii) {
    MappedText t;
    int columns = 0;
    for (char c : bytes) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    t.append_copied(bytes, {line, 1}, {line, columns + 1}, ascii ? OriginRun::Kind::Ascii : OriginRun::Kind::Copied);
    return t;
}

}  // namespace

TEST_CASE("a copied line maps each byte to its column, continuation bytes to their lead's") {
    const auto t = physical("a\xC3\xA9" "b", 4, false);  // a é b
    CHECK(t.at(0) == TextPosition{4, 1});
    CHECK(t.at(1) == TextPosition{4, 2});
    CHECK(t.at(2) == TextPosition{4, 2});
    CHECK(t.at(3) == TextPosition{4, 3});
    CHECK(t.at(4) == TextPosition{4, 4});  // past the end
    CHECK(t.end() == TextPosition{4, 4});
}

TEST_CASE("slices and appends keep the origins of the bytes they take") {
    const auto first = physical("  netsh ipsec  ", 2, true);
    const auto second = physical("\tadd x", 3, true);
    MappedText joined = first.slice(0, 13);
    joined.append(second, 0, second.size());
    joined.set_end(second.end());
    REQUIRE(joined.text == "  netsh ipsec\tadd x");
    CHECK(joined.at(2) == TextPosition{2, 3});
    CHECK(joined.at(13) == TextPosition{3, 1});
    CHECK(joined.at(14) == TextPosition{3, 2});
    CHECK(joined.end() == TextPosition{3, 7});
    const auto trimmed = first.trimmed();
    CHECK(trimmed.text == "netsh ipsec");
    CHECK(trimmed.at(0) == TextPosition{2, 3});
    CHECK(trimmed.end() == TextPosition{2, 14});
    const auto empty = first.slice(5, 5);
    CHECK(empty.empty());
    CHECK(empty.end() == TextPosition{2, 6});
}

TEST_CASE("a substituted value maps every byte to the % that introduced it") {
    const auto source = physical("x=%V%;", 9, true);
    MappedText out = source.slice(0, 2);
    out.append_value("hello", source.at(2), source.at(5));
    out.append(source, 5, source.size());
    REQUIRE(out.text == "x=hello;");
    for (std::size_t i = 2; i < 7; ++i) CHECK(out.at(i) == TextPosition{9, 3});
    CHECK(out.at(7) == TextPosition{9, 6});
    CHECK(out.end() == TextPosition{9, 7});
}
