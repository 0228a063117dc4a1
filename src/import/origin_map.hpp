#pragma once
// Where each byte of a text came from, kept as runs rather than one position
// per byte. A command is mostly bytes copied unchanged from one physical line
// (a run whose column advances with each code point) and, at most, a few
// substituted values (a run whose bytes all map to the `%` that introduced
// them), so a line costs a run or two instead of a position per byte: reading
// a 100 000-line script spent most of its batch-layer time filling and
// copying those per-byte tables.
#include <cstddef>
#include <string_view>
#include <vector>

namespace winipsec {

struct TextPosition {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in code points

    friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

struct OriginRun {
    std::size_t begin = 0;  // first byte of the run in the text
    TextPosition where;     // origin of that byte
    // Copied: the bytes are the source bytes themselves, so each UTF-8 lead
    // byte is one column further on (a continuation byte shares its lead's
    // column). Otherwise every byte of the run maps to `where`.
    bool copied = true;
};

// The origins of the bytes of one text, which the map does not hold: every
// query takes the text. The run covering byte i is the last one that begins
// at or before i; the position past the last byte is `end`.
class OriginMap {
public:
    // Origin of byte `offset` of `text` (`end` at or past its end).
    TextPosition at(std::string_view text, std::size_t offset) const;
    TextPosition end() const { return end_; }
    void set_end(TextPosition end) { end_ = end; }

    // Bytes text[begin, ...) were just appended: copied ones starting at
    // `first`, or all from `first` (a substituted value).
    void add_run(std::size_t begin, TextPosition first, bool copied);
    // The origins of text[begin, end) of `from`, appended at `at`.
    void append(const OriginMap& from, std::string_view from_text, std::size_t begin, std::size_t end,
                std::size_t at);
    bool empty() const { return runs_.empty(); }

private:
    std::vector<OriginRun> runs_;
    TextPosition end_;
};

}  // namespace winipsec
