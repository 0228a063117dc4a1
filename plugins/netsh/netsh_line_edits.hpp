#pragma once
// What the netsh importer can vouch for about single lines, so winipsecd can
// re-read an edited filter line alone (Importer::line_stands_alone,
// Importer::only_adds; import/filter_line_edits.hpp).
#include <string_view>

namespace winipsec::netsh {

// A full `netsh ipsec static add filter ...` command line with nothing
// cmd.exe would treat specially (no % ! ^ & | < > ( ), so no expansion,
// no redirection, no chaining, no block) and no second netsh command glued
// on: it adds one filter whatever surrounds it, and touches nothing else.
bool filter_line_stands_alone(std::string_view line);

// No command of the text can remove or move a filter: no `delete` of any
// kind, no `set store` (later commands would go to another store), no
// `importpolicy`. Conservative: the words anywhere count, comments too.
// (The importer also wants no filter skipped as a duplicate of an earlier
// one: editing that earlier one would bring the skipped one back.)
bool script_only_adds(std::string_view text);

}  // namespace winipsec::netsh
