#pragma once
// The table of formats: every importer winipsec knows, by --format name.
#include <memory>
#include <string_view>
#include <vector>

#include "import/importer.hpp"

namespace winipsec {

struct FormatEntry {
    std::string_view name;     // --format value
    std::string_view aliases;  // space-separated other names (e.g. "ipsecpol")
    std::string_view summary;  // one line for --help
    const Importer& importer;
};

const std::vector<FormatEntry>& format_table();
// By name or alias; nullptr when unknown.
const FormatEntry* find_format(std::string_view name);
// The best-scoring importer for `text`, or nullptr when none recognises it.
const FormatEntry* detect_format(const DecodedText& text);

}  // namespace winipsec
