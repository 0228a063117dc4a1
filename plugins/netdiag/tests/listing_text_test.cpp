// Finding `Label : value` pairs in listing lines (plugins/netdiag/listing_text.cpp).
#include <doctest/doctest.h>

#include "plugins/netdiag/listing_text.hpp"

using namespace winipsec;
using namespace winipsec::listing;

namespace {

ScannedLine scan(std::string_view text, std::initializer_list<std::string_view> labels) {
    static const auto file = std::make_shared<const std::string>("l.txt");
    const std::vector<std::string_view> l(labels);
    return scan_fields(ListingLine{text, 7, file}, l);
}

}  // namespace

TEST_CASE("several pairs on one line, each value up to the next label") {
    const auto s =
        scan("Tunnel Addr : 0.0.0.0 Src Port : 0 Dest Port : 1434", {"Tunnel Addr", "Src Port", "Dest Port"});
    REQUIRE(s.fields.size() == 3);
    CHECK(s.fields[0].label == "Tunnel Addr");
    CHECK(s.fields[0].value == "0.0.0.0");
    CHECK(s.fields[1].value == "0");
    CHECK(s.fields[2].value == "1434");
    CHECK(s.fields[2].value_at.to_string() == "l.txt:7:48");
    CHECK(s.leading.empty());
}

TEST_CASE("labels match any case and blank runs, with or without a space before the colon") {
    const auto s = scan("  src   ADDR: 10.0.0.1   TunnelFilter: No", {"Src Addr", "TunnelFilter"});
    REQUIRE(s.fields.size() == 2);
    CHECK(s.fields[0].value == "10.0.0.1");
    CHECK(s.fields[0].at.column == 3);
    CHECK(s.fields[1].value == "No");
}

TEST_CASE("dot leaders between a label and its colon") {
    const auto s = scan("IP Security test . . . . . . . . . : Passed", {"IP Security test"});
    REQUIRE(s.fields.size() == 1);
    CHECK(s.fields[0].value == "Passed");
}

TEST_CASE("a label only counts at a word start and before a colon; the longest wins") {
    const auto s = scan("FilterAction Name : Block Action : BLOCK", {"Action", "FilterAction Name"});
    REQUIRE(s.fields.size() == 2);
    CHECK(s.fields[0].label == "FilterAction Name");
    CHECK(s.fields[0].value == "Block");
    CHECK(s.fields[1].label == "Action");
    const auto none = scan("Action taken later", {"Action"});
    CHECK(none.fields.empty());
    CHECK(none.leading == "Action taken later");
}

TEST_CASE("text before the first label is kept with its place") {
    const auto s = scan("Passed Local IPSec Policy Active: 'X'", {"Local IPSec Policy Active"});
    CHECK(s.leading == "Passed");
    CHECK(s.leading_at.column == 1);
    REQUIRE(s.fields.size() == 1);
    CHECK(s.fields[0].value == "'X'");
}

TEST_CASE("columns count code points") {
    const auto s = scan("名前 Flags : Inbound Block", {"Flags"});
    REQUIRE(s.fields.size() == 1);
    CHECK(s.fields[0].at.column == 4);
}
