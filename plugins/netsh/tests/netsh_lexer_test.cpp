// Tokens of a netsh command (spec §4.1): white space, quotes, `tag = value`.
#include <doctest/doctest.h>

#include "import/netsh_lexer.hpp"

using winipsec::ScriptLine;
using winipsec::netsh::lex;
using winipsec::netsh::Token;

namespace {

ScriptLine line_of(std::string text, int line_no = 7) {
    ScriptLine l;
    l.file = std::make_shared<const std::string>("t.bat");
    l.text = std::move(text);
    // columns count code points, as editors show them
    int column = 1;
    for (std::size_t i = 0; i < l.text.size(); ++i) {
        l.origin.push_back({line_no, column});
        if (i + 1 >= l.text.size() || (static_cast<unsigned char>(l.text[i + 1]) & 0xC0) != 0x80) ++column;
    }
    l.origin.push_back({line_no, column});
    return l;
}

std::vector<Token> lex_all(const std::string& text) {
    const ScriptLine l = line_of(text);
    return lex(l, 0, l.text.size());
}

}  // namespace

TEST_CASE("tokens are split at white space; tag=value is split at the first =") {
    const auto t = lex_all("add  filter\tfilterlist=L srcaddr=me description=a=b");
    REQUIRE(t.size() == 5);
    CHECK_FALSE(t[0].tagged);
    CHECK(t[0].value == "add");
    CHECK(t[1].value == "filter");
    CHECK(t[2].tagged);
    CHECK(t[2].tag == "filterlist");
    CHECK(t[2].value == "L");
    CHECK(t[4].tag == "description");
    CHECK(t[4].value == "a=b");
}

TEST_CASE("spaces around = are joined back: `tag = value`, `tag =value`, `tag= value`") {
    const auto t = lex_all("name = Blocker action =block protocol= TCP mirrored=yes");
    REQUIRE(t.size() == 4);
    CHECK(t[0].tag == "name");
    CHECK(t[0].value == "Blocker");
    CHECK(t[1].tag == "action");
    CHECK(t[1].value == "block");
    CHECK(t[2].tag == "protocol");
    CHECK(t[2].value == "TCP");
    CHECK(t[3].value == "yes");
}

TEST_CASE("`tag=` followed by another tag keeps an empty value") {
    const auto t = lex_all("name= action=block");
    REQUIRE(t.size() == 2);
    CHECK(t[0].tag == "name");
    CHECK(t[0].value.empty());
    CHECK(t[1].tag == "action");
}

TEST_CASE("a lone = at the end gives an empty value") {
    const auto t = lex_all("name =");
    REQUIRE(t.size() == 1);
    CHECK(t[0].tag == "name");
    CHECK(t[0].value.empty());
}

TEST_CASE("ASCII quotes group white space and are removed; = inside quotes is text") {
    const auto t = lex_all(R"(name="My Policy" description="a = b" "Domain Controllers")");
    REQUIRE(t.size() == 3);
    CHECK(t[0].value == "My Policy");
    CHECK(t[0].quoted);
    CHECK(t[1].value == "a = b");
    CHECK_FALSE(t[2].tagged);
    CHECK(t[2].value == "Domain Controllers");
}

TEST_CASE("typographic quotes open a value; inside ASCII quotes they are text") {
    const auto t = lex_all(
        "name=\xE2\x80\x9C"
        "Block all\xE2\x80\x9D endpoint1=\xE2\x80\x9D"
        "any\xE2\x80\x9D "
        "description=\"the server\xE2\x80\x99s web\" x=\xE2\x80\x98one two\xE2\x80\x99");
    REQUIRE(t.size() == 4);
    CHECK(t[0].value == "Block all");
    CHECK(t[1].value == "any");
    CHECK(t[2].value == "the server\xE2\x80\x99s web");
    CHECK(t[3].value == "one two");
}

TEST_CASE("an apostrophe inside an unquoted word is text") {
    const auto t = lex_all("description=server\xE2\x80\x99s");
    REQUIRE(t.size() == 1);
    CHECK(t[0].value == "server\xE2\x80\x99s");
}

TEST_CASE("an unterminated quote runs to the end of the line and is flagged") {
    const auto t = lex_all(R"(name= u IPSEC" endpoint1=any)");
    REQUIRE(t.size() == 2);
    CHECK(t[0].tag == "name");
    CHECK(t[0].value == "u");
    CHECK(t[1].value == "IPSEC endpoint1=any");
    CHECK(t[1].unterminated_quote);
}

TEST_CASE("rootca keeps \\' for the value parser") {
    const auto t = lex_all(R"(rootca="CN=\'Root\' certmap:yes")");
    REQUIRE(t.size() == 1);
    CHECK(t[0].tag == "rootca");
    CHECK(t[0].value == R"(CN=\'Root\' certmap:yes)");
}

TEST_CASE("tokens know the line and column of the tag and of the value") {
    const ScriptLine l = line_of("add policy name = \"P\" 描述=x srcaddr=me", 12);
    const auto t = lex(l, 0, l.text.size());
    REQUIRE(t.size() == 5);
    CHECK(t[2].at.line == 12);
    CHECK(t[2].at.column == 12);
    CHECK(t[2].value_at.column == 19);
    CHECK(t[3].at.column == 23);
    CHECK(t[4].at.column == 28);  // after two CJK characters, counted as one column each
    CHECK(t[4].value_at.column == 36);
}

TEST_CASE("lexing a part of a line") {
    const ScriptLine l = line_of("netsh ipsec static add policy name=P");
    const auto t = lex(l, 19, l.text.size());
    REQUIRE(t.size() == 3);
    CHECK(t[0].value == "add");
    CHECK(t[0].begin == 19);
}
