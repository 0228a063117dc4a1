// Tokens of netsh advfirewall commands, through the lexer every netsh context shares (import/netsh_lexer.cpp).
#include <doctest/doctest.h>

#include "import/netsh_lexer.hpp"

using namespace winipsec;
using namespace winipsec::netsh;

namespace {

std::vector<Token> tokens(std::string_view text) {
    ScriptLine line;
    line.text = std::string(text);
    line.file = std::make_shared<const std::string>("t.bat");
    for (std::size_t i = 0; i <= line.text.size(); ++i) line.origin.push_back({3, static_cast<int>(i) + 1});
    return lex(line, 0, line.text.size());
}

}  // namespace

TEST_CASE("tag=value, quoted values with blanks, and the spaced forms netsh accepts") {
    const auto t = tokens("name=\"Require Inbound\" endpoint1 = any endpoint2 =10.0.0.0/8 action= requireinrequestout");
    REQUIRE(t.size() == 4);
    CHECK(t[0].tag == "name");
    CHECK(t[0].value == "Require Inbound");
    CHECK(t[0].quoted);
    CHECK(t[1].tag == "endpoint1");
    CHECK(t[1].value == "any");
    CHECK(t[2].value == "10.0.0.0/8");
    CHECK(t[3].value == "requireinrequestout");
    CHECK(t[3].value_at.to_string() == "t.bat:3:70");
}

TEST_CASE("typographic quotes open a value, in either orientation (corpus #31)") {
    const auto t = tokens(
        "name=\xE2\x80\x9C"
        "Basic Domain Isolation Policy\xE2\x80\x9D endpoint1=\xE2\x80\x9D"
        "any\xE2\x80\x9D");
    REQUIRE(t.size() == 2);
    CHECK(t[0].value == "Basic Domain Isolation Policy");
    CHECK(t[1].value == "any");
    CHECK_FALSE(t[1].unterminated_quote);
}

TEST_CASE("\\' inside a quoted CA name is kept for the CA-name reader (corpus #32)") {
    const auto t = tokens("auth1ca=\"C=US, O=MSFT, CN=\\'Root, Authority\\'\" auth1healthcert=no");
    REQUIRE(t.size() == 2);
    CHECK(t[0].tag == "auth1ca");
    CHECK(t[0].value == "C=US, O=MSFT, CN=\\'Root, Authority\\'");
}

TEST_CASE("an unterminated quote and an untagged word are marked") {
    const auto t = tokens("\"IPSEC\" name=\"open");
    REQUIRE(t.size() == 2);
    CHECK_FALSE(t[0].tagged);
    CHECK(t[0].value == "IPSEC");
    CHECK(t[1].unterminated_quote);
}
