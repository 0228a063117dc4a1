#pragma once
// Splits the text of one netsh command into tokens (spec windows-ipsec.md §4.1),
// for every netsh context a format reads (`ipsec static`, `advfirewall consec`):
// white space separates tokens outside quotes, quotes are removed, and
// `tag = value`, `tag =value`, `tag= value` are joined back into one `tag=value`.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "import/script_line.hpp"
#include "model/source_location.hpp"

namespace winipsec::netsh {

struct Token {
    std::string tag;    // as written; empty when the token has no `tag=`
    std::string value;  // quotes removed
    bool tagged = false;
    bool quoted = false;              // some part of the value was quoted
    bool unterminated_quote = false;  // a quote was still open at the end of the line
    SourceLocation at;                // first character of the token
    SourceLocation value_at;          // first character of the value
    std::size_t begin = 0, end = 0;   // byte offsets in the ScriptLine the token came from
};

// Tokens of line.text[begin, end). Quote characters: ASCII `"` anywhere in a
// token; the typographic “ ” and ‘ ’ (pasted from web pages and Word) only
// when they open a value, i.e. at the start of a token or right after `=`.
// Inside ASCII quotes a typographic quote is ordinary text ("the server’s web").
std::vector<Token> lex(const ScriptLine& line, std::size_t begin, std::size_t end);
// The same into `tokens`, replacing what it held and reusing its elements:
// lexing every line of a big script into fresh tokens (each position taking
// its own reference to the file name) was most of the lexer's time.
void lex_into(const ScriptLine& line, std::size_t begin, std::size_t end, std::vector<Token>& tokens);

// The leading words of a command line, before any tag=value reading (which
// context, which verb): blanks separate, ASCII quotes group, and a word
// quoted whole loses its quotes.
struct CommandWord {
    std::string_view text;
    std::size_t begin = 0, end = 0;  // offsets in the line
};
// Up to `capacity` words, held in place: every line of a script is looked at
// this way, and a heap allocation per line showed in profiles of big scripts.
class CommandWords {
public:
    static constexpr std::size_t capacity = 12;
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const CommandWord& operator[](std::size_t i) const { return words_[i]; }
    const CommandWord* begin() const { return words_.data(); }
    const CommandWord* end() const { return words_.data() + size_; }
    void push_back(const CommandWord& w) { words_[size_++] = w; }

private:
    std::array<CommandWord, capacity> words_;
    std::size_t size_ = 0;
};
// At most min(limit, CommandWords::capacity) words.
CommandWords first_words(std::string_view s, std::size_t begin, std::size_t end, std::size_t limit);

// `netsh`, `netsh.exe`, in any case, alone or after a \ or / path.
bool is_netsh_executable(std::string_view word);

// (inline: the lexer and the head reader ask for every byte of every line)
inline bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace winipsec::netsh
