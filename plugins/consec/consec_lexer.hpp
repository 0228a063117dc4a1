#pragma once
// Splits a `netsh advfirewall ...` command into `tag=value` tokens as netsh
// does (spec windows-ipsec.md §4.1 lexical rules, shared by every netsh
// context): blanks separate tokens outside quotes, quotes are removed, and
// `tag = value` / `tag =value` / `tag= value` are joined. Real consec lines
// quote with ASCII quotes, with typographic quotes pasted from web pages
// (`name=“...”`, `endpoint1=”any”`, corpus #31), and escape quotes inside CA
// names as \' (#32), which is kept here for the CA-name reader.
#include <cstddef>
#include <string>
#include <vector>

#include "import/script_line.hpp"

namespace winipsec::consec {

struct Token {
    std::string tag;  // as written; empty for an untagged word
    std::string value;
    bool tagged = false;
    bool quoted = false;
    bool unterminated_quote = false;
    SourceLocation at;        // first character of the token
    SourceLocation value_at;  // first character of the value
};

std::vector<Token> lex(const ScriptLine& line, std::size_t begin, std::size_t end);

bool is_blank(char c);

}  // namespace winipsec::consec
