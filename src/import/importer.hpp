#pragma once
// The one interface every Windows format implements (plugins/<format>/).
// An importer reads decoded text and applies what it says to a PolicyStore, in
// order, as Windows would; it reports findings and never throws for bad input.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec {

struct ImportOptions {
    std::map<std::string, std::string> defines;  // --define NAME=VALUE
    std::optional<std::string> encoding;         // --encoding
};

class Importer {
public:
    virtual ~Importer() = default;
    // The --format name, e.g. "netsh".
    virtual std::string_view name() const = 0;
    // How sure this importer is that `text` is its format: 0 = not at all,
    // 100 = certain. Used by --format auto.
    virtual int recognise(const DecodedText& text) const = 0;
    // Applies the input to `store` (several files apply in command-line order).
    virtual void import(const DecodedText& text, const ImportOptions& options, PolicyStore& store,
                        Diagnostics& diagnostics) const = 0;

    // For winipsecd's quick reload of edited lines (import/filter_line_edits.hpp).
    // The defaults say "cannot tell", and the whole text is read again.
    //
    // Whether `line` (without its line end) does the same wherever it stands
    // in a text of this format: what it adds does not depend on the lines
    // before it, and it changes nothing the lines after it read.
    virtual bool line_stands_alone(std::string_view /*line*/) const { return false; }
    // Whether nothing in `text` removes or changes what an earlier command
    // added, and no command's effect depended on an earlier one (`found`:
    // what importing `text` reported, e.g. a filter skipped as a duplicate
    // of an earlier one), so each line's additions are there at the end
    // whatever the other lines say.
    virtual bool only_adds(const DecodedText& /*text*/, const Diagnostics& /*found*/) const { return false; }
};

}  // namespace winipsec
