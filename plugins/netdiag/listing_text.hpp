#pragma once
// The text of a listing that a Windows tool printed (netdiag, netsh show):
// lines with their places, and the `Label : value` pairs on them. Listings
// put several pairs on one line ("Src Addr : 0.0.0.0 Src Mask : 0.0.0.0") and
// copies from web pages join or break lines anywhere, so pairs are found by
// their labels, not by line shape.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_location.hpp"

namespace winipsec::listing {

struct ListingLine {
    std::string_view text;  // no line end; points into the decoded text
    int number = 0;         // 1-based
    std::shared_ptr<const std::string> file;

    // Location of the byte at `offset` (columns count code points from 1).
    SourceLocation at(std::size_t offset) const;
    SourceLocation start() const;  // the first non-blank character
    bool blank() const;
};

std::vector<ListingLine> split_lines(std::string_view utf8, const std::shared_ptr<const std::string>& file);

struct Field {
    std::string_view label;  // the label as the caller spelled it in `labels`
    std::string value;       // trimmed
    SourceLocation at;       // the label
    SourceLocation value_at;
};

struct ScannedLine {
    std::string leading;  // trimmed text before the first label (or the whole line)
    SourceLocation leading_at;
    std::vector<Field> fields;
};

// Finds `labels` on `line`: a label starts a word, matches case-insensitively
// with any run of blanks between its words, and is followed by blanks or
// dot leaders (". . . .") and a colon. The value runs to the next label.
// Longer labels win when two start at the same place.
ScannedLine scan_fields(const ListingLine& line, std::span<const std::string_view> labels);

std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string lower(std::string_view s);
// Whole-string decimal in [0, max]; nullopt otherwise.
std::optional<unsigned long> parse_number(std::string_view s, unsigned long max);

}  // namespace winipsec::listing
