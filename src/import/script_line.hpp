#pragma once
// One logical command of a Windows batch file or netsh -f script, after the
// shared batch-file handling (src/import/batch_script.*): caret continuations
// joined, comments and labels dropped, `&&`/`||`/`|`/`>nul` tails cut,
// `echo ... >> file` payloads extracted, %VAR%/%%i/%1 substituted.
//
// Every byte of `text` remembers where it came from, so an importer can point
// at the exact file:line:column of a token even across a caret continuation
// or inside a substituted variable (which maps to the `%` that introduced it).
#include <string>
#include <vector>

#include "import/origin_map.hpp"
#include "model/source_location.hpp"

namespace winipsec {

struct ScriptLine {
    std::string text;  // UTF-8, no line terminator
    // Lines built by hand (importers reading a line on its own, tests) give
    // one position per byte: origin.size() == text.size() + 1 (last = end of
    // line). The batch layer leaves `origin` empty and fills `map`.
    std::vector<TextPosition> origin;
    OriginMap map;
    std::shared_ptr<const std::string> file;
    bool from_echo = false;  // came from `echo <text> >> file` (a generated netsh -f script)

    // Location of the byte at `offset` (clamped to the end).
    SourceLocation at(std::size_t offset) const;
    // The same without the file, for callers that already hold it.
    TextPosition position(std::size_t offset) const;
    SourceLocation start() const { return at(0); }
};

// A commented-out line that looks like a command the importers know
// (`REM netsh ...`, `::netsh ...`, `rem ipseccmd ...`, `rem echo ipsec ...`).
// Importers report these as notes so nothing is dropped silently.
struct CommentedCommand {
    std::string text;
    SourceLocation where;
};

}  // namespace winipsec
