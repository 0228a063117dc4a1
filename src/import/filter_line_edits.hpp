#pragma once
// winipsecd's quick reload (README "WINIPSECD", reload): when a source text
// changed only in lines that each add one filter, and the importer vouches
// that such lines stand alone (Importer::line_stands_alone) in a text where
// nothing is ever removed (Importer::only_adds), reading the changed lines
// alone says exactly how the store changes: each edited line's filter is
// replaced by the one its new text adds, in the same list, at the same
// place. The rest of the text need not be read again.
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "model/filter.hpp"

namespace winipsec {

struct FilterLineEdit {
    int line = 0;      // 1-based; the same line in both texts
    std::string list;  // the filter list both versions of the line add to
    Filter before;     // what the old line added, located at `line`
    Filter after;      // what the new line adds, located at `line`
    Diagnostics diagnostics;  // what reading the new line found (never errors)
};

// The edits that turn `before` into `after`, or why the whole text must be
// read again (lines added or removed, more than `max_edits` lines changed, a
// changed line that does not stand alone, adds something else than one
// filter, or has errors). `before_only_adds`: Importer::only_adds(before),
// which the caller learnt when it read `before` in full.
std::expected<std::vector<FilterLineEdit>, std::string> filter_line_edits(const Importer& importer,
                                                                          const DecodedText& before,
                                                                          const DecodedText& after,
                                                                          bool before_only_adds,
                                                                          std::size_t max_edits = 64);

}  // namespace winipsec
