#pragma once
// The words of an ipseccmd/ipsecpol command line, split the way the program
// saw them (cmd.exe hands the tail of the line to the program; the Microsoft C
// runtime splits it into argv), each byte remembering where it sits in its
// ScriptLine so that a diagnostic can point at the exact column of a token or
// of one character inside it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/script_line.hpp"

namespace winipsec::ipseccmd {

struct Word {
    std::string text;
    // Byte offset in line->text of every byte of `text`, plus one for the end
    // (offsets.size() == text.size() + 1). Quotes removed by argument
    // splitting have no byte of their own, so offsets need not be contiguous.
    std::vector<std::size_t> offsets;
    const ScriptLine* line = nullptr;
    bool quoted = false;  // some part of it was inside "..."

    // The whole line as one word.
    static Word of_line(const ScriptLine& line);

    bool empty() const { return text.empty(); }
    std::size_t size() const { return text.size(); }
    // Location of byte `index` of `text` (clamped to the end).
    SourceLocation at(std::size_t index = 0) const;
    // Bytes [pos, pos + count) with their offsets.
    Word slice(std::size_t pos, std::size_t count = std::string::npos) const;
    Word trimmed() const;  // without ASCII blanks at either end
};

struct SplitArguments {
    std::vector<Word> words;
    bool unterminated_quote = false;  // a `"` opened and never closed
};

// argv splitting of the Microsoft C runtime: blanks separate words; `"`
// toggles quoting; inside quotes `""` is a literal quote; 2n backslashes
// before `"` give n backslashes and a quote toggle, 2n+1 give n backslashes
// and a literal quote; other backslashes are literal (so `\\computer` and
// `C:\Program Files\...` survive). An unquoted `>`, `<`, `|` or `&` ends the
// arguments: cmd.exe consumes redirections and command chaining before the
// program runs (a `2` glued in front of `>` goes with it).
SplitArguments split_arguments(const Word& text);

// Splits at ASCII blanks (for lists given as one quoted argument, e.g.
// -n "ESP[3DES,SHA] 3600S/100000K").
std::vector<Word> split_blanks(const Word& word);

// The byte offset (in word.text) of a batch variable reference that the batch
// layer left unsubstituted (%NAME%, %%i, %1, %*, %~dp0), or nullopt.
std::optional<std::size_t> find_unresolved_variable(std::string_view text);

std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
bool all_digits(std::string_view text);  // false when empty
// Parses a decimal number without sign; nullopt when it is not one or exceeds `max`.
std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max = 0xFFFFFFFFu);
std::size_t edit_distance(std::string_view a, std::string_view b);

inline constexpr std::string_view en_dash = "\xE2\x80\x93";  // U+2013
inline constexpr std::string_view em_dash = "\xE2\x80\x94";  // U+2014

}  // namespace winipsec::ipseccmd
