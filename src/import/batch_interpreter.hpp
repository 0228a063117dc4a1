#pragma once
// Internal to the batch-file layer: the small interpreter that runs a parsed
// script (batch_syntax.hpp) in cmd.exe's order and collects the commands it
// would hand to other programs. Control flow lives in batch_script.cpp, the
// commands cmd.exe runs itself (set, echo, call, goto, exit, ...) in
// batch_commands.cpp.
#include <cstddef>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "import/batch_expansion.hpp"
#include "import/batch_script.hpp"
#include "import/batch_syntax.hpp"

namespace winipsec::batch {

// Bounds that keep a looping script from hanging the import. The step budget
// is max(kMaxSteps, kStepsPerLine * lines), so that a long straight-line block
// list never hits it.
inline constexpr std::size_t kMaxSteps = 100000;  // commands run in total
inline constexpr std::size_t kStepsPerLine = 4;
inline constexpr int kMaxCallDepth = 100;  // nested `call :label`

enum class Flow {
    Next,        // go on with the next command
    Goto,        // jump to `label`
    ExitFrame,   // `exit /b`, `goto :eof`: leave the subroutine (top level: the script)
    ExitScript,  // `exit`: leave everything
    Abort,       // a bound was hit; stop without further reports
};

struct Outcome {
    Flow flow = Flow::Next;
    std::string label;  // Goto
    TextPosition where;
};

// One activation: the script itself or a `call :label`.
struct Frame {
    std::optional<std::vector<std::string>> arguments;  // %1..; none at top level (--define 1=...)
    std::string name;                                   // %0
    int depth = 0;
    std::size_t pc = 0;                 // index of the statement after the running one
    std::set<std::string> goto_states;  // label + variables seen at each goto (loop detection)
};

class Interpreter {
public:
    Interpreter(const Program& program, const DecodedText& text, const BatchOptions& options, Diagnostics& diagnostics,
                BatchScript& out, std::size_t max_steps);
    void run();

private:
    const Program& program_;
    const BatchOptions& options_;
    Diagnostics& diagnostics_;
    BatchScript& out_;
    std::shared_ptr<const std::string> file_;
    std::map<std::string, Variable> variables_;  // by upper-case name
    std::vector<char> loop_variables_;           // of the `for`s being run, innermost last
    bool delayed_ = false;
    std::size_t steps_ = 0;
    std::size_t max_steps_;
    std::set<std::pair<std::string, int>> reported_;  // (reference key, line): one error per variable per line
    std::set<std::tuple<std::string, int, int>> noted_;

    // batch_script.cpp: control flow
    Outcome run_frame(std::size_t start, Frame& frame);
    Outcome run_statements(const std::vector<Statement>& statements, Frame& frame, bool conditional);
    Outcome run_chain(const std::vector<Link>& chain, Frame& frame, bool conditional);
    Outcome run_command(const Command& command, Frame& frame, bool conditional);
    std::optional<std::size_t> find_label(std::string_view name, std::size_t from) const;
    std::string state_key(std::size_t label, const Frame& frame) const;

    // batch_commands.cpp: what cmd.exe does itself
    Outcome run_simple(const Command& command, Frame& frame, bool conditional);
    void run_echo(const Command& command, const Frame& frame);
    bool run_set(const MappedText& text, const Frame& frame, TextPosition where);
    void assign(const MappedText& expanded, const std::vector<Unresolved>& unresolved, TextPosition where);
    Outcome run_call(const Command& command, Frame& frame);
    Outcome run_jump(const Command& command, const Frame& frame, bool conditional, bool is_goto);

    // batch_commands.cpp: helpers
    Scope scope(const Frame& frame, std::string self = {}) const;
    Expansion expand_reporting(const MappedText& text, const Frame& frame);
    void report(const std::vector<Unresolved>& unresolved);
    void emit(MappedText text, bool from_echo);
    void note_once(const char* code, TextPosition where, std::string message);
    SourceLocation location(TextPosition where) const { return {file_, where.line, where.column}; }
};

}  // namespace winipsec::batch
