#pragma once
// Internal to the batch-file layer: what cmd.exe's parser makes of a script
// (statements, `&&`/`||`/`&`/`|` chains, `( ... )` blocks, `if` and `for`),
// before anything runs. batch_parser.cpp builds it; batch_script.cpp runs it.
#include <memory>
#include <string>
#include <vector>

#include "import/batch_lines.hpp"
#include "import/diagnostics.hpp"
#include "import/script_line.hpp"

namespace winipsec::batch {

// How a command is joined to the one before it.
enum class Operator {
    First,  // the first command of a chain
    Then,   // &   always runs
    And,    // &&  runs if the previous one succeeded
    Or,     // ||  runs if the previous one failed
    Pipe,   // |   runs with the previous one's output as input
};

struct Statement;

struct Command {
    enum class Kind {
        Simple,   // one command: text without redirections, escape carets removed
        Comment,  // `rem ...` (or an `if`/`for` too broken to run): does nothing
        Block,    // ( ... )
        If,       // if <condition> <body> [else <else_body>]
        For,      // for ... do <body>
    };
    Kind kind = Kind::Simple;
    TextPosition where;                // first character: the command, the `(`, the `if`/`for` keyword
    MappedText text;                   // Simple: the command; If: the condition; For: `for ... do`
    bool output_to_file = false;       // Simple: stdout sent to a file by `>`/`>>` (not to nul)
    std::vector<Statement> body;       // Block, If (first branch), For
    std::vector<Statement> else_body;  // If
    bool has_else = false;             // If
    std::vector<char> loop_variables;  // For: `%%i` and the letters `tokens=` adds after it
};

struct Link {
    Operator op = Operator::First;
    Command command;
};

struct Statement {
    std::string label;  // non-empty: a `:label` line (top level only); `chain` is then empty
    TextPosition where;
    std::vector<Link> chain;
};

struct Program {
    std::vector<Statement> statements;  // top level, in file order
    std::vector<CommentedCommand> commented_out;
};

// Parses the logical lines of a script. Syntax problems (unbalanced
// parentheses, an `if` without a command) go to `diagnostics`; parsing never
// stops early.
Program parse_program(std::vector<MappedText> lines, const std::shared_ptr<const std::string>& file,
                      Diagnostics& diagnostics);

// True when a comment's body reads like a command an importer knows
// (`netsh ...`, `ipseccmd ...`, `echo ipsec ...`, possibly after a path or a
// `C:\>` prompt), so dropping it deserves a note.
bool looks_like_known_command(std::string_view body);

// Length of a leading console prompt (`C:\> `, `PS C:\> `, `C:\Windows\system32>`)
// at the start of `text`, blanks after it included; 0 when there is none.
std::size_t prompt_length(std::string_view text);

}  // namespace winipsec::batch
