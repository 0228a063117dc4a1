#pragma once
// Finding ipseccmd/ipsecpol invocations in logical lines and splitting them
// into switches with their values (spec windows-ipsec.md §6.1). What the
// values mean is ipseccmd_invocation.cpp's job.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/diagnostics.hpp"
#include "plugins/ipseccmd/ipseccmd_words.hpp"

namespace winipsec::ipseccmd {

enum class LineKind {
    Blank,
    Comment,              // REM / :: / # line (the batch layer normally drops these first)
    CommentedInvocation,  // a comment whose text is an ipseccmd/ipsecpol invocation
    Invocation,
    NotACommand,
};

struct ClassifiedLine {
    LineKind kind = LineKind::Blank;
    // Invocation: the words, the program first -- except for a VBScript string
    // that holds only the arguments (`aCommands(1) = "-w REG ..."`), where
    // there is no program word and `has_head` is false.
    std::vector<Word> words;
    bool has_head = true;
    bool from_vbscript = false;
    std::string hint;  // NotACommand: what it looks like instead, if known
};

// Decides what one logical line is. Recognised programs: ipseccmd and
// ipsecpol in any case, with or without .exe, bare, with a path or quoted;
// a binary renamed `ipsec` when its first argument is a switch, a \\computer
// or the wrapper verbs export/import (corpus #21) -- but never the netsh
// context line `ipsec static ...` / `ipsec dynamic ...`.
ClassifiedLine classify_line(const ScriptLine& line);
// The same test on plain text (for recognise() and commented-out lines).
bool looks_like_invocation(std::string_view text);
// The text after a comment marker (`rem `, `@rem `, `::`, `#`), or nullopt
// when the text is not a comment.
std::optional<std::string_view> comment_body(std::string_view text);

enum class InvocationKind {
    Policy,     // switches that change policy
    Export,     // `ipsec export REG file` (the corpus #21 wrapper): no change
    Import,     // `ipsec import REG file`: changes policy from a file we cannot see
    Query,      // `ipseccmd show ...`: no change
    BatchFile,  // `ipseccmd -file name`: runs commands from a file we cannot see
    Help,       // `-?` or no arguments: prints usage, no change
};

struct SwitchArgument {
    std::string name;  // canonical: lower case, no dash ("f", "1s", "soft")
    Word word;         // the switch as written
    std::vector<Word> values;
};

struct RawInvocation {
    Word head;                     // the program as written; for an argument-only VBScript string, its first word
    std::string tool;              // "ipseccmd", "ipsecpol", "ipsec" (renamed binary) or "" (VBScript arguments)
    std::optional<Word> computer;  // \\computer
    InvocationKind kind = InvocationKind::Policy;
    std::vector<SwitchArgument> switches;  // command-line order
    std::vector<Word> operands;            // Export/Import/Query/BatchFile operands
    bool from_vbscript = false;

    SourceLocation where() const { return head.at(0); }
    // The last occurrence (a repeated switch: the last one wins), or nullptr.
    const SwitchArgument* last(std::string_view name) const;
    std::vector<const SwitchArgument*> all(std::string_view name) const;
    bool has(std::string_view name) const { return last(name) != nullptr; }
};

// Splits an Invocation line into switches. Errors (unknown switch, a value
// where none belongs, a missing value) are reported and give nullopt: the
// real tool prints its usage and does nothing.
std::optional<RawInvocation> parse_arguments(const ClassifiedLine& line, Diagnostics& diagnostics);

// The switch names this tool knows (for did-you-mean and tests).
const std::vector<std::string_view>& known_switches();

}  // namespace winipsec::ipseccmd
