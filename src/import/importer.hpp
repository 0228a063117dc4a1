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
};

}  // namespace winipsec
