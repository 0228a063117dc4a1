#pragma once
// Free text (names, descriptions, keys, CA names) on a netsh command line in
// a cmd.exe batch file. Two readers see every value: cmd.exe, which expands
// `%` even inside double quotes (so `%` is written `%%`) and treats `&|<>^()`
// as text inside them; and netsh, whose tokenizer (spec windows-ipsec.md §4.1)
// ends a quoted value at the next `"` and has no escape for it, except in
// rootca, where `\'` stands for `"`. Line breaks cannot be inside a command.
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::netsh_script {

// Text netsh can carry, and what had to change to get it.
struct CarriedText {
    std::string text;
    std::vector<std::string> changes;  // e.g. "double quotes became apostrophes"; empty = unchanged
};

// Names, descriptions and pre-shared keys: `"` becomes `'`, line breaks and
// other control characters (TAB aside) become blanks.
CarriedText carry_text(std::string_view text);
// A root CA name: `"` becomes netsh's `\'`, which reads back as `"` (no
// change); control characters as above. A `\'` already in the name cannot be
// told from an escaped quote.
CarriedText carry_root_ca(std::string_view text);

// `"text"` with every `%` doubled for cmd.exe. `text` must be carried already.
std::string quoted(std::string_view text);
// Text for a `rem` line: cmd expands `%` there too (and `%~` aborts the
// script), so it is doubled; control characters become `?`.
std::string comment_text(std::string_view text);

// winipsec's own netsh importer reads the batch file back after cmd's
// expansion and refuses a command whose value still looks like a batch
// variable (%NAME%, %1, %*, %~x, %%i); Windows takes those literally. The
// first such sequence in `text`, or empty.
std::string variable_lookalike(std::string_view text);
// A value ending in a backslash: whether netsh.exe reads `\"` as an escaped
// quote is unknown [U], so the closing quote could be lost.
bool ends_in_backslash(std::string_view text);
// Any byte outside ASCII (the batch file then needs code page 65001).
bool has_non_ascii(std::string_view text);

}  // namespace winipsec::netsh_script
