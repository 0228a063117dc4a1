#include "import/import_inputs.hpp"

#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "import/format_table.hpp"
#include "import/store_checks.hpp"

namespace winipsec {

std::expected<ImportedInputs, Error> import_inputs(const InputSpec& spec) {
    const FormatEntry* forced = nullptr;
    if (spec.format != "auto") {
        forced = find_format(spec.format);
        if (!forced) {
            std::string known;
            for (const auto& e : format_table()) known += fmt::format("{}{}", known.empty() ? "" : ", ", e.name);
            return std::unexpected(
                Error::usage(fmt::format("unknown --format '{}' (known: auto, {})", spec.format, known)));
        }
    }
    ImportedInputs out;
    for (const auto& path : spec.paths) {
        auto text = read_and_decode(path, spec.options.encoding);
        if (!text) return std::unexpected(text.error());
        const FormatEntry* entry = forced ? forced : detect_format(*text);
        if (!entry)
            return std::unexpected(
                Error::input(fmt::format("{}: no known format recognises this file; name one with --format", path)));
        entry->importer.import(*text, spec.options, out.store, out.diagnostics);
    }
    check_store(out.store, out.diagnostics);
    return out;
}

}  // namespace winipsec
