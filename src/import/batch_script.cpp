// The batch-file layer: what cmd.exe would run, in the order it would run it.
//
// Real IPsec scripts (../shared/corpus/NOTES.md, "Batch-language structure
// around the commands") wrap their netsh/ipseccmd lines in batch syntax. This
// layer reproduces enough of cmd.exe to find those lines, and knows nothing
// about netsh or ipseccmd. The rules, in the order they apply:
//
// Reading (batch_lines.cpp)
//  1. A line ending in an unescaped `^` outside double quotes joins the next
//     line, whose leading TAB/blanks are kept as the separator (#06, #10,
//     #12). Blanks after the caret are tolerated (cmd would not; web copies
//     have them).
//  2. Jekyll/Liquid tags `{% ... %}` are removed wherever they are, before
//     any `%` is read as a variable (#90).
// Parsing (batch_parser.cpp), cmd's "phase 2"
//  3. At the start of a line: indentation (markdown), a console prompt
//     (`C:\> `, `PS C:\> `) and `@` are stripped. `rem`/`REM`/`@rem`,
//     `::...` and `#...` (netsh -f scripts, Python comments) are comments; one
//     whose body reads like a command the importers know (`netsh`, `ipsec`,
//     `ipseccmd`, `ipsecpol`, `echo ipsec`, `echo netsh`, after an optional path
//     or prompt) is listed in BatchScript::commented_out. Bare `ipsec` counts
//     only when followed by static/dynamic/export/import or a switch, because
//     it is also an English word in comments.
//  4. `:name` lines are labels: never run, only targets of goto/call.
//  5. Outside double quotes, `&&`, `||`, `&` and `|` separate commands; a
//     caret escapes the next character and is removed. Redirections are cut:
//     `>nul`, `> nul`, `2>nul`, `2>&1`, `>> file`, `> file`, `<file`.
//     `<WORD>` (a documentation placeholder such as `psk=<PASSWORD>`, #94) is
//     text, not two redirections.
//  6. `( ... )` blocks span lines up to the matching unquoted `)`; inside a
//     block, an unquoted `)` ends it even mid-command, as in cmd. `if` and
//     `for` take a block or the rest of the line (`&&` tails included) as
//     their body; `) else (` gives `if` a second branch. A `(` never closed
//     or a `)` closing nothing is E-BATCH-PARENTHESES; an `if`/`for` with no
//     command is E-BATCH-SYNTAX. A line that only starts like `if`/`for`
//     ("For example, ...") is an ordinary command.
// Running (this file and batch_commands.cpp)
//  7. Statements run in file order from the top; `goto label` jumps (cmd
//     searches forward from the current line, then from the top);
//     `goto :eof`, `exit /b [n]` leave the current subroutine, at top level
//     the script; `exit` ends everything (so subroutines after a top-level
//     `exit /b 0` are not run unless called, #93).
//  8. `call :label args` runs from the label until `exit /b`, `goto :eof` or
//     the end of the file, with %0..%9, %* and %~n bound (cmd splits the
//     arguments at blanks, `,`, `;` and `=` outside quotes; a missing one is
//     empty). Like cmd, the call line gets a second expansion round, which is
//     what makes `call set list=%%list%% %%i` work (#96). `call other.bat` and
//     `call` of anything but a label: W-BATCH-CALL-NOT-FOLLOWED. Depth is
//     capped at kMaxCallDepth.
//  9. Conditions are not evaluated. The first branch of every `if` runs (note
//     N-BATCH-CONDITION once per `if`); an `else` branch does not. A `for`
//     body runs once, with its variables taken from --define (note
//     N-BATCH-LOOP-ONCE). `exit` and `goto` that run only on a condition (after
//     `&&`/`||`, or inside an `if`) are not followed (note
//     N-BATCH-CONDITIONAL-JUMP): taking them would cut the script short
//     (`netsh ... && exit /b`, #10; `if errorlevel 1 goto fail`).
// 10. `set NAME=value` / `set "NAME=value"` define a variable (names ignore
//     case; the value's trailing blanks are cut); `set /a` and `set /p`
//     define nothing; `set X = y` defines `X ` as cmd does (warning
//     W-BATCH-SET-SPACE). `set` with blanks inside the name (`set store
//     location=local`, `set config property=...`) is a netsh context command
//     in a netsh -f script (#18) and is passed through. --define values win
//     over `set`. `setlocal EnableDelayedExpansion` turns on !NAME!;
//     `endlocal` does not roll variables back (the importer wants the values).
// 11. Expansion happens per command when it runs (cmd expands a whole
//     `( ... )` block when it reads it; with loops run once and conditions
//     not evaluated, the difference only shows when a block reads a variable
//     it also sets). Lines are split before expansion, so a value holding
//     `&` or `>` is not re-parsed. `%NAME%`, `%%` -> `%`, `%%i`/`%i` of a
//     running `for`, `%0`..`%9`, `%*`, `%~dpnx1`, `%X:~s,n%` and `%X:a=b%`
//     expand; substituted text maps to its `%`. A reference with no value is
//     left verbatim and reported once per variable per line as
//     E-BATCH-UNDEFINED-VARIABLE (naming the --define that fixes it); a form
//     that cannot be computed (%~z1 is a file size) is
//     E-BATCH-UNSUPPORTED-EXPANSION. A `set` from an undefined reference only
//     records it; the error appears where that variable is used (#21 sets
//     IP_CIBLES from undefined variables, then overwrites it).
// 12. `echo TEXT > FILE` / `echo TEXT >> FILE`: TEXT (expanded, trimmed) is a
//     command with from_echo (scripts that write a netsh -f file, #91). Other
//     echos, `echo.`, `@echo off` are dropped. In a pipe `A | B` only A runs
//     (B filters output: `| findstr`, #11), except `echo Y | B`, where echo
//     just answers B's prompt and B is the command (`Echo Y | Reg.exe add`, #40).
// 13. Consumed silently: cls, pause, timeout, title, chcp, color, ver, shift,
//     setlocal, endlocal, empty lines. Everything else (netsh, ipseccmd,
//     `pushd ipsec static`, `popd`, `del`, `reg`, VBScript, ...) is passed
//     through as a command with its spacing and quotes unchanged, trailing
//     blanks cut; empty commands are never emitted.
// 14. At most max(kMaxSteps, 4 x lines) commands run (a long straight-line
//     block list must never hit the bound); past that, or when a `goto` returns to a
//     label with every variable unchanged (a loop that can never end here,
//     since conditions are not evaluated), the import stops with E-BATCH-LOOP.
#include "import/batch_script.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "import/batch_interpreter.hpp"
#include "import/batch_lines.hpp"
#include "import/batch_syntax.hpp"

namespace winipsec {

BatchScript read_batch_script(const DecodedText& text, const BatchOptions& options, Diagnostics& diagnostics) {
    BatchScript script;
    auto lines = batch::read_logical_lines(text.utf8);
    const auto max_steps = std::max(batch::kMaxSteps, batch::kStepsPerLine * lines.size());
    const auto program = batch::parse_program(std::move(lines), text.path, diagnostics);
    script.commented_out = program.commented_out;
    script.commands.reserve(program.statements.size());
    batch::Interpreter(program, text, options, diagnostics, script, max_steps).run();
    return script;
}

}  // namespace winipsec

namespace winipsec::batch {

namespace {

bool same_label(std::string_view a, std::string_view b) {
    return upper(a) == upper(b);
}

}  // namespace

Interpreter::Interpreter(const Program& program, const DecodedText& text, const BatchOptions& options,
                         Diagnostics& diagnostics, BatchScript& out, std::size_t max_steps)
    : program_(program),
      options_(options),
      diagnostics_(diagnostics),
      out_(out),
      file_(text.path),
      max_steps_(max_steps) {}

void Interpreter::run() {
    Frame top;
    top.name = file_ ? *file_ : std::string();
    run_frame(0, top);
}

Outcome Interpreter::run_frame(std::size_t start, Frame& frame) {
    const auto& statements = program_.statements;
    // Passing a label (or starting at it, for a call) records the state, so a
    // `goto` back to it with nothing changed is caught on its first repeat.
    if (start > 0 && !statements[start - 1].label.empty()) frame.goto_states.insert(state_key(start - 1, frame));
    for (frame.pc = start; frame.pc < statements.size();) {
        const auto& statement = statements[frame.pc++];
        if (!statement.label.empty()) {  // falling into a label just goes on
            frame.goto_states.insert(state_key(frame.pc - 1, frame));
            continue;
        }
        auto outcome = run_chain(statement.chain, frame, false);
        switch (outcome.flow) {
            case Flow::Next: break;
            case Flow::Goto: {
                const auto target = find_label(outcome.label, frame.pc);
                if (!target) {
                    diagnostics_.warning("W-BATCH-UNKNOWN-LABEL", location(outcome.where),
                                         fmt::format("there is no label :{} in this file; cmd.exe stops the script "
                                                     "at this `goto`, and so does the import",
                                                     outcome.label));
                    return {Flow::ExitScript, {}, outcome.where};
                }
                if (!frame.goto_states.insert(state_key(*target, frame)).second) {
                    diagnostics_.error("E-BATCH-LOOP", location(outcome.where),
                                       fmt::format("`goto {}` starts the same pass again with nothing changed: with "
                                                   "conditions not evaluated this loop never ends, so the import "
                                                   "stops here. Check the commands read so far",
                                                   outcome.label));
                    return {Flow::Abort, {}, outcome.where};
                }
                frame.pc = *target + 1;
                break;
            }
            case Flow::ExitFrame: return {};
            case Flow::ExitScript:
            case Flow::Abort: return outcome;
        }
    }
    return {};
}

Outcome Interpreter::run_statements(const std::vector<Statement>& statements, Frame& frame, bool conditional) {
    for (const auto& statement : statements) {
        auto outcome = run_chain(statement.chain, frame, conditional);
        if (outcome.flow != Flow::Next) return outcome;
    }
    return {};
}

Outcome Interpreter::run_chain(const std::vector<Link>& chain, Frame& frame, bool conditional) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const bool link_conditional = conditional || chain[i].op == Operator::And || chain[i].op == Operator::Or;
        const Command* command = &chain[i].command;
        if (i + 1 < chain.size() && chain[i + 1].op == Operator::Pipe) {
            // `A | B | C`: A is the command, the rest filter its output -- unless
            // A is an echo that types an answer into B's prompt.
            const bool answers = command->kind == Command::Kind::Simple &&
                                 upper(command->text.text).starts_with("ECHO") &&
                                 chain[i + 1].command.kind == Command::Kind::Simple;
            if (answers) command = &chain[i + 1].command;
            while (i + 1 < chain.size() && chain[i + 1].op == Operator::Pipe) ++i;
        }
        if (++steps_ > max_steps_) {
            if (steps_ == max_steps_ + 1)
                diagnostics_.error("E-BATCH-LOOP", location(command->where),
                                   fmt::format("the script ran more than {} commands; it loops or recurses without "
                                               "end here, so the import stops. Check the commands read so far",
                                               max_steps_));
            return {Flow::Abort, {}, command->where};
        }
        auto outcome = run_command(*command, frame, link_conditional);
        if (outcome.flow != Flow::Next) return outcome;
    }
    return {};
}

Outcome Interpreter::run_command(const Command& command, Frame& frame, bool conditional) {
    switch (command.kind) {
        case Command::Kind::Comment: return {};
        case Command::Kind::Simple: return run_simple(command, frame, conditional);
        case Command::Kind::Block: return run_statements(command.body, frame, conditional);
        case Command::Kind::If:
            note_once(
                "N-BATCH-CONDITION", command.where,
                fmt::format("the condition `{}` is not evaluated: the commands of its first branch are imported "
                            "as if it held{}",
                            command.text.text, command.has_else ? ", and the `else` branch is not imported" : ""));
            return run_statements(command.body, frame, true);
        case Command::Kind::For: {
            std::string references, defines;
            for (char v : command.loop_variables) {
                references += fmt::format("{}%%{}", references.empty() ? "" : ", ", v);
                defines += fmt::format("{}--define {}=VALUE", defines.empty() ? "" : " ", v);
            }
            note_once("N-BATCH-LOOP-ONCE", command.where,
                      fmt::format("`{}` is not run as a loop: its body is imported once, with {} taken from {}",
                                  command.text.text, references, defines));
            const auto depth = loop_variables_.size();
            loop_variables_.insert(loop_variables_.end(), command.loop_variables.begin(), command.loop_variables.end());
            auto outcome = run_statements(command.body, frame, conditional);
            loop_variables_.resize(depth);
            return outcome;
        }
    }
    return {};
}

// cmd.exe looks for a label from the current line to the end, then from the top.
std::optional<std::size_t> Interpreter::find_label(std::string_view name, std::size_t from) const {
    const auto& statements = program_.statements;
    for (std::size_t n = 0; n < statements.size(); ++n) {
        const auto i = (from + n) % statements.size();
        if (!statements[i].label.empty() && same_label(statements[i].label, name)) return i;
    }
    return std::nullopt;
}

// Everything a run from `label` depends on: if it repeats, so does the run.
std::string Interpreter::state_key(std::size_t label, const Frame& frame) const {
    std::string key = fmt::format("{}|{}|", label, delayed_);
    if (frame.arguments)
        for (const auto& a : *frame.arguments) key += a + '\x1f';
    key += '|';
    for (const auto& [name, variable] : variables_) key += name + '=' + variable.value + '\x1f';
    return key;
}

}  // namespace winipsec::batch
