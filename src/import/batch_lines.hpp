#pragma once
// Internal to the batch-file layer (batch_script.cpp): text whose every byte
// remembers where it came from, and the split of a decoded file into the
// logical lines cmd.exe reads (caret continuations joined, Liquid tags gone).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "import/script_line.hpp"

namespace winipsec::batch {

// Text plus the origin of every byte, kept as runs (import/origin_map.hpp).
// The position just past the end is kept too, so an empty text still has a
// place.
struct MappedText {
    std::string text;
    OriginMap origin;

    std::size_t size() const { return text.size(); }
    bool empty() const { return text.empty(); }
    char operator[](std::size_t i) const { return text[i]; }
    TextPosition at(std::size_t offset) const { return origin.at(text, offset); }
    TextPosition end() const { return origin.end(); }
    void set_end(TextPosition end) { origin.set_end(end); }

    // One byte that came from `where`; the text now ends at `after`.
    void push(char c, TextPosition where, TextPosition after);
    // Bytes [begin, end) of `from` with their own origins.
    void append(const MappedText& from, std::size_t begin, std::size_t end);
    // Bytes copied unchanged from a physical line: the first from `first`, then
    // a column per code point (`kind`: Ascii or Copied, as the bytes are); the
    // text now ends at `after`.
    void append_copied(std::string_view bytes, TextPosition first, TextPosition after, OriginRun::Kind kind);
    // Substituted text: every byte maps to `where` (the `%` that introduced it).
    void append_value(std::string_view value, TextPosition where, TextPosition after);

    MappedText slice(std::size_t begin, std::size_t end) const;
    MappedText trimmed() const&;       // spaces and TABs cut on both sides
    MappedText trimmed() &&;           // ... reusing this text when there is nothing to cut
    MappedText trimmed_right() const;  // ... on the right only
};

// Space, TAB and the other blanks cmd.exe treats as token separators.
inline bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

// The logical lines of `utf8` (LF line ends) in file order. See the rules at
// the top of batch_script.cpp: caret continuation and Liquid tag removal
// happen here, before anything else looks at the text.
std::vector<MappedText> read_logical_lines(std::string_view utf8);

}  // namespace winipsec::batch
