#pragma once
// Where each byte of a text came from, kept as runs rather than one position
// per byte. A command is mostly bytes copied unchanged from one physical line
// (a run whose column advances with each code point) and, at most, a few
// substituted values (a run whose bytes all map to the `%` that introduced
// them), so a line costs a run or two instead of a position per byte: reading
// a 100 000-line script spent most of its batch-layer time filling and
// copying those per-byte tables.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace winipsec {

struct TextPosition {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in code points

    friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

struct OriginRun {
    enum class Kind : std::uint8_t {
        Ascii,   // copied from one physical line, all ASCII: a column per byte
        Copied,  // copied from one physical line: a column per UTF-8 lead byte
                 // (a continuation byte shares its lead's column)
        Value,   // every byte maps to `where` (a substituted value)
    };
    std::size_t begin = 0;  // first byte of the run in the text
    TextPosition where;     // origin of that byte
    Kind kind = Kind::Copied;
};

// The origins of the bytes of one text, which the map does not hold: every
// query takes the text. The run covering byte i is the last one that begins
// at or before i; the position past the last byte is `end`. The first run is
// held in place, so the usual single-run line costs no allocation.
class OriginMap {
public:
    // Origin of byte `offset` of `text` (`end` at or past its end).
    TextPosition at(std::string_view text, std::size_t offset) const;
    TextPosition end() const { return end_; }
    void set_end(TextPosition end) { end_ = end; }

    // Bytes from text offset `begin` on were just appended, with origins
    // starting at `first` as `kind` says.
    void add_run(std::size_t begin, TextPosition first, OriginRun::Kind kind);
    // The origins of text[begin, end) of `from`, appended at `at`.
    void append(const OriginMap& from, std::string_view from_text, std::size_t begin, std::size_t end,
                std::size_t at);
    bool empty() const { return count_ == 0; }

private:
    std::size_t count_ = 0;
    OriginRun first_;
    std::vector<OriginRun> more_;  // runs after the first

    const OriginRun& run(std::size_t i) const { return i == 0 ? first_ : more_[i - 1]; }
    OriginRun& run(std::size_t i) { return i == 0 ? first_ : more_[i - 1]; }
    // Index of the run covering `offset`, or count_ when none does.
    std::size_t run_at(std::size_t offset) const;

    TextPosition end_;
};

}  // namespace winipsec
