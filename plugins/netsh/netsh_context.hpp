#pragma once
// How a line reaches netsh (spec §4.1, corpus/NOTES.md "Command head"): the
// `netsh ipsec static` head in its spellings (netsh.exe, a path, any case,
// double spaces), context-mode lines of a `netsh -f` script (`ipsec static
// add ...`, `pushd ipsec static` then `add ...`, `popd`, `exit`), the
// `netsh -f file` line itself, and presentation around a pasted command.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "import/script_line.hpp"
#include "plugins/netsh/netsh_tags.hpp"

namespace winipsec::netsh {

enum class LineKind {
    Command,      // a netsh ipsec static/dynamic or advfirewall consec command
    BadContext,   // `netsh ipsec` followed by neither static nor dynamic
    PushContext,  // pushd ipsec static|dynamic
    PopContext,   // popd
    Exit,         // exit, quit, bye: leave every pushed context
    ScriptFile,   // netsh -f FILE, netsh exec FILE
    OtherNetsh,   // netsh with a context that is not IPsec (firewall, interface, ...)
    Foreign,      // not netsh at all
};

struct LineHead {
    LineKind kind = LineKind::Foreign;
    Context context = Context::Static;  // Command, PushContext
    std::size_t begin = 0;              // the first word of the command
    std::size_t verb = 0;               // the first byte after the head
    std::string detail;                 // ScriptFile: the file; OtherNetsh, BadContext: the context words
};

// Classifies line.text[begin, end). `pushed` is the context of the innermost
// `pushd`, under which bare `add ...` lines are commands.
LineHead classify_line(std::string_view text, std::size_t begin, std::size_t end, std::optional<Context> pushed);

// The offset of a second `netsh ipsec ...` / `netsh advfirewall ...` (or, in
// a netsh script, `ipsec static|dynamic`) in text[from, end) outside quotes:
// two commands glued together by a missing line break (corpus #12).
std::optional<std::size_t> find_merged_head(std::string_view text, std::size_t from, std::size_t end);

// Presentation around a command copied from a web page or book, which is not
// part of it: a `C:\>` prompt, Jekyll/Liquid `{% ... %}` tags and a markdown
// backtick at either end.
struct Trimmed {
    std::size_t begin = 0, end = 0;
    std::optional<std::size_t> backtick;  // where a stray backtick was removed
};
Trimmed trim_decorations(std::string_view text);

}  // namespace winipsec::netsh
