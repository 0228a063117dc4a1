#pragma once
// Internal to the batch-file layer: cmd.exe's variable expansion (%NAME%,
// %%i, %1, %~dp0, %X:~0,2%, %X:a=b%, !NAME!) over text that keeps the origin
// of every byte. Substituted text maps to the `%` that introduced it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "import/batch_lines.hpp"

namespace winipsec::batch {

// A reference without a value, as the user would write it and name it.
struct Missing {
    std::string reference;  // as written: %PSK%, %%i, %1
    std::string name;       // as --define takes it: PSK, i, 1
};

struct Variable {
    std::string name;  // as the script first wrote it
    std::string value;
    TextPosition set_at;
    // References the `set` could not resolve. Such a value is never used:
    // its references are reported where the variable is used (#21 overwrites
    // `set IP_CIBLES=%IP_SUBNET%/...` before any use, which must stay quiet).
    std::vector<Missing> missing;
};

// A reference left verbatim in the text.
struct Unresolved {
    enum class Kind {
        Variable,      // %NAME% never set (and not --define'd)
        LoopVariable,  // %%i of a `for` that is read once, not run
        Argument,      // %1 of the script itself
        Inherited,     // %NAME% set from references that had no value (`missing`)
        Unsupported,   // a form such as %~z1 (file size) that cannot be computed here
    };
    Kind kind = Kind::Variable;
    Missing what;
    TextPosition where;            // the `%` or `!`
    TextPosition set_at;           // Inherited: where the variable was set
    std::vector<Missing> missing;  // Inherited: what its value lacks
};

// What a reference can resolve to at this point of the run.
struct Scope {
    const std::map<std::string, std::string>* defines = nullptr;  // --define, win over everything
    const std::map<std::string, Variable>* variables = nullptr;   // by upper-case name
    const std::vector<char>* loop_variables = nullptr;            // of the `for`s being run
    const std::vector<std::string>* arguments = nullptr;          // %1.. of a `call`; null at top level
    std::string argument0;                                        // %0
    bool delayed = false;  // `setlocal EnableDelayedExpansion` seen: !NAME! expands too
    std::string self;      // in `set NAME=...`, an unset %NAME% is empty (the append idiom)
};

struct Expansion {
    MappedText text;
    std::vector<bool> frozen;  // bytes later rounds must not touch (verbatim references); empty: none
    std::vector<Unresolved> unresolved;
};

// One round of expansion. `frozen` (empty, or one flag per byte of `in`)
// marks bytes to copy unchanged; `call` runs a second round over the result.
Expansion expand(const MappedText& in, const std::vector<bool>& frozen, const Scope& scope);

// cmd.exe variable names are case-insensitive.
std::string upper(std::string_view text);
// --define value for `name`: an exact match first, then ignoring case.
const std::string* find_define(const std::map<std::string, std::string>& defines, std::string_view name);

}  // namespace winipsec::batch
