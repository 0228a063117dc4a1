#pragma once
// The lines of a regedit export (.reg): the header, `[key]` lines, `"name"=data`
// lines with their `\` continuations joined, and comments. Nothing here knows
// what a value means; reg_file_parser.cpp does.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "import/script_line.hpp"

namespace winipsec::registry {

// Text with the place every byte was written, so that a bad byte deep in a
// continued hex list is reported at its own line and column.
struct PlacedText {
    std::string text;
    std::vector<TextPosition> origin{TextPosition{}};  // text.size() + 1 entries (last = just past the end)

    TextPosition at(std::size_t offset) const { return origin[std::min(offset, origin.size() - 1)]; }
};

struct RegFileLine {
    enum class Kind {
        Header,   // "Windows Registry Editor Version 5.00" or "REGEDIT4"
        Key,      // [path] or [-path]
        Value,    // "name"=data or @=data
        Comment,  // ; ...
        Other,    // anything else (regedit skips it)
    };
    Kind kind = Kind::Other;
    TextPosition where;         // first non-blank character
    int header_version = 5;     // Header: 4 (REGEDIT4, single-byte strings) or 5 (UTF-16 strings)
    std::string key_path;       // Key: between the brackets, without the `-`
    bool deleted = false;       // Key: [-path]; Value: "name"=-
    bool unterminated = false;  // Key: no closing `]`; Value: no closing `"` on the name
    std::string name;           // Value: unescaped; "" for @
    PlacedText data;            // Value: after `=`, continuations joined, blanks trimmed
    std::string text;           // Other: the line as written
};

// Lines of `utf8` (LF line ends); blank lines are left out.
std::vector<RegFileLine> read_reg_file_lines(std::string_view utf8);

}  // namespace winipsec::registry
