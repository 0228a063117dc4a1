// The commands cmd.exe runs itself (set, echo, call, goto, exit, setlocal,
// shift and the screen/console ones), and the hand-over of every other
// command to the importers. The rules are listed in batch_script.cpp.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "import/batch_interpreter.hpp"

namespace winipsec::batch {
namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The command's name: its leading letters, lower-cased (`goto:eof` -> goto,
// `echo.` -> echo, `exit/b` -> exit).
std::string command_word(std::string_view text) {
    std::string word;
    for (char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
        word.push_back(lower(c));
    }
    return word;
}

bool ends_word(std::string_view text, std::size_t at) {
    return at >= text.size() || is_blank(text[at]) ||
           std::string_view("/:.(\"").find(text[at]) != std::string_view::npos;
}

std::size_t skip_blanks(std::string_view text, std::size_t at) {
    while (at < text.size() && is_blank(text[at])) ++at;
    return at;
}

// Name given to `set` as written, before expansion: `set NAME=`, `set "NAME=`.
std::string_view raw_set_name(std::string_view body) {
    if (body.starts_with('"')) body.remove_prefix(1);
    const auto eq = body.find('=');
    return eq == std::string_view::npos ? std::string_view{} : body.substr(0, eq);
}

// cmd splits `call` arguments at blanks, `,`, `;` and `=` outside quotes.
std::vector<std::string> split_arguments(std::string_view text) {
    std::vector<std::string> args;
    std::string current;
    bool quoted = false, any = false;
    for (char c : text) {
        if (!quoted && (is_blank(c) || c == ',' || c == ';' || c == '=')) {
            if (any) args.push_back(std::move(current));
            current.clear();
            any = false;
            continue;
        }
        if (c == '"') quoted = !quoted;
        current.push_back(c);
        any = true;
    }
    if (any) args.push_back(std::move(current));
    return args;
}

std::string define_hint(const Missing& m) {
    return fmt::format("--define {}=VALUE", m.name);
}

}  // namespace

Outcome Interpreter::run_simple(const Command& command, Frame& frame, bool conditional) {
    const MappedText& text = command.text;
    if (text.empty()) return {};
    const auto word = command_word(text.text);
    if (word == "echo" &&
        (text.size() == 4 || std::string_view(" \t.:(/\\,;=+[]").find(text[4]) != std::string_view::npos)) {
        run_echo(command, frame);
        return {};
    }
    if (!ends_word(text.text, word.size())) {
        emit(expand_reporting(text, frame).text, false);
        return {};
    }
    static constexpr std::string_view consumed[] = {"cls",  "pause", "timeout", "title",
                                                    "chcp", "color", "ver",     "endlocal"};
    if (std::find(std::begin(consumed), std::end(consumed), word) != std::end(consumed)) return {};
    if (word == "setlocal") {
        const auto options = upper(text.text);
        if (options.find("ENABLEDELAYEDEXPANSION") != std::string::npos) delayed_ = true;
        if (options.find("DISABLEDELAYEDEXPANSION") != std::string::npos) delayed_ = false;
        return {};
    }
    if (word == "shift") {
        if (frame.arguments && !frame.arguments->empty()) frame.arguments->erase(frame.arguments->begin());
        return {};
    }
    if (word == "set" && run_set(text, frame, command.where)) return {};
    if (word == "goto" || word == "exit") return run_jump(command, frame, conditional, word == "goto");
    if (word == "call") return run_call(command, frame);
    emit(expand_reporting(text, frame).text, false);
    return {};
}

// `echo TEXT >> FILE` writes a line of a generated script (a netsh -f file,
// #91): the line is the command. Any other echo only talks to the user.
void Interpreter::run_echo(const Command& command, const Frame& frame) {
    if (!command.output_to_file) return;
    const auto payload = command.text.slice(5, command.text.size());
    const auto word = upper(payload.trimmed().text);
    if (word == "OFF" || word == "ON") return;
    emit(expand_reporting(payload, frame).text, true);
}

// Returns false when this is not cmd's `set` but a netsh context command.
bool Interpreter::run_set(const MappedText& text, const Frame& frame, TextPosition where) {
    const std::string_view raw = text.text;
    const auto body = raw.substr(skip_blanks(raw, 3));
    if (body.empty() || body.starts_with("/") || body.find('=') == std::string_view::npos)
        return true;  // lists variables; `set /a` is arithmetic, `set /p` reads the keyboard: nothing to define
    const auto name = raw_set_name(body);
    auto trimmed_name = name;
    while (!trimmed_name.empty() && is_blank(trimmed_name.back())) trimmed_name.remove_suffix(1);
    if (!body.starts_with('"') && std::any_of(trimmed_name.begin(), trimmed_name.end(), is_blank))
        return false;  // `set store location=local`: netsh -f context mode
    const auto expanded = expand(text, {}, scope(frame, std::string(name)));
    assign(expanded.text, expanded.unresolved, where);
    return true;
}

void Interpreter::assign(const MappedText& expanded, const std::vector<Unresolved>& unresolved, TextPosition where) {
    std::string_view body = std::string_view(expanded.text).substr(skip_blanks(expanded.text, 3));
    std::string_view name, value;
    if (body.starts_with('"')) {  // `set "NAME=value"`: the last quote ends the value, the rest is ignored
        const auto close = body.rfind('"');
        const auto inner = body.substr(1, close == 0 ? body.npos : close - 1);
        const auto eq = inner.find('=');
        name = inner.substr(0, eq);
        value = eq == std::string_view::npos ? std::string_view{} : inner.substr(eq + 1);
    } else {
        const auto eq = body.find('=');
        name = body.substr(0, eq);
        value = eq == std::string_view::npos ? std::string_view{} : body.substr(eq + 1);
    }
    while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
    if (name.empty() || find_define(options_.defines, name)) return;  // --define wins over the script
    if (is_blank(name.back())) {
        const auto bare = name.substr(0, name.find_last_not_of(" \t") + 1);
        diagnostics_.warning("W-BATCH-SET-SPACE", location(where),
                             fmt::format("`set {}={}` names the variable `{}` with a trailing blank, as cmd.exe does, "
                                         "so %{}% does not find it; write `set {}={}`",
                                         name, value, name, bare, bare, value.substr(skip_blanks(value, 0))));
    }
    const auto key = upper(name);
    if (value.empty() && unresolved.empty()) {  // `set X=` removes X
        variables_.erase(key);
        return;
    }
    Variable variable{std::string(name), std::string(value), where, {}};
    for (const auto& u : unresolved) {
        if (u.kind == Unresolved::Kind::Inherited)
            variable.missing.insert(variable.missing.end(), u.missing.begin(), u.missing.end());
        else
            variable.missing.push_back(u.what);
    }
    variables_[key] = std::move(variable);
}

// `call :label args`, `call set ...`, `call other.bat`. The call line is
// expanded twice, as cmd does.
Outcome Interpreter::run_call(const Command& command, Frame& frame) {
    const auto& text = command.text;
    const auto rest = text.slice(skip_blanks(text.text, 4), text.size());
    if (rest.empty()) return {};
    const auto word = command_word(rest.text);
    if (word == "set" && ends_word(rest.text, 3)) {
        // Unresolved references are only recorded, as for a plain `set`.
        const std::string self(raw_set_name(std::string_view(rest.text).substr(skip_blanks(rest.text, 3))));
        const auto first = expand(rest, {}, scope(frame, self));
        auto second = expand(first.text, first.frozen, scope(frame, self));
        second.unresolved.insert(second.unresolved.begin(), first.unresolved.begin(), first.unresolved.end());
        assign(second.text, second.unresolved, command.where);
        return {};
    }
    const auto first = expand_reporting(rest, frame);
    auto second = expand(first.text, first.frozen, scope(frame));
    report(second.unresolved);
    const auto target = second.text.trimmed().text;
    if (!target.starts_with(':')) {
        diagnostics_.warning("W-BATCH-CALL-NOT-FOLLOWED", location(command.where),
                             fmt::format("`call {}` runs another batch file or program, which this import does not "
                                         "read; import that file on its own if it holds IPsec policy",
                                         target.substr(0, target.find_first_of(" \t"))));
        return {};
    }
    auto args = split_arguments(std::string_view(target).substr(1));
    if (args.empty()) return {};
    const auto label = std::move(args.front());
    args.erase(args.begin());
    const auto start = find_label(label, frame.pc);
    if (!start) {
        diagnostics_.warning("W-BATCH-UNKNOWN-LABEL", location(command.where),
                             fmt::format("there is no label :{} in this file; cmd.exe reports an error and goes on "
                                         "after this `call`, and so does the import",
                                         label));
        return {};
    }
    if (frame.depth + 1 > kMaxCallDepth) {
        diagnostics_.error("E-BATCH-LOOP", location(command.where),
                           fmt::format("`call :{}` nests more than {} calls deep; the subroutine calls itself without "
                                       "end here, so the import stops. Check the commands read so far",
                                       label, kMaxCallDepth));
        return {Flow::Abort, {}, command.where};
    }
    Frame sub;
    sub.arguments = std::move(args);
    sub.name = ":" + label;
    sub.depth = frame.depth + 1;
    auto outcome = run_frame(*start + 1, sub);
    if (outcome.flow == Flow::ExitScript || outcome.flow == Flow::Abort) return outcome;
    return {};
}

// `goto label`, `goto :eof`, `exit`, `exit /b [n]`.
Outcome Interpreter::run_jump(const Command& command, const Frame& frame, bool conditional, bool is_goto) {
    const auto& text = command.text;
    if (conditional) {
        note_once("N-BATCH-CONDITIONAL-JUMP", command.where,
                  fmt::format("`{}` only runs on a condition (after `&&`/`||` or inside an `if`), which is not "
                              "evaluated; the import goes on after it",
                              text.text));
        return {};
    }
    if (!is_goto) {
        const auto rest = upper(std::string_view(text.text).substr(skip_blanks(text.text, 4)));
        return {rest.starts_with("/B") ? Flow::ExitFrame : Flow::ExitScript, {}, command.where};
    }
    const auto expanded = expand_reporting(text.slice(4, text.size()), frame).text.trimmed().text;
    auto label = std::string_view(expanded);
    while (label.starts_with(':')) label.remove_prefix(1);
    label = label.substr(0, label.find_first_of(" \t"));
    if (label.empty()) return {};
    if (upper(label) == "EOF") return {Flow::ExitFrame, {}, command.where};
    return {Flow::Goto, std::string(label), command.where};
}

Scope Interpreter::scope(const Frame& frame, std::string self) const {
    Scope s;
    s.defines = &options_.defines;
    s.variables = &variables_;
    s.loop_variables = &loop_variables_;
    s.arguments = frame.arguments ? &*frame.arguments : nullptr;
    s.argument0 = frame.name;
    s.delayed = delayed_;
    s.self = std::move(self);
    return s;
}

Expansion Interpreter::expand_reporting(const MappedText& text, const Frame& frame) {
    auto expansion = expand(text, {}, scope(frame));
    report(expansion.unresolved);
    return expansion;
}

void Interpreter::report(const std::vector<Unresolved>& unresolved) {
    for (const auto& u : unresolved) {
        const bool exact = u.kind == Unresolved::Kind::LoopVariable;  // %%i and %%I differ in cmd
        const auto key = fmt::format("{}{}", static_cast<int>(u.kind), exact ? u.what.name : upper(u.what.name));
        if (!reported_.insert({key, u.where.line}).second) continue;
        const auto& ref = u.what.reference;
        const auto& name = u.what.name;
        std::string message;
        switch (u.kind) {
            case Unresolved::Kind::Variable:
                message = fmt::format("{} is not set by the script; give its value with --define {}=VALUE", ref, name);
                break;
            case Unresolved::Kind::LoopVariable:
                message = fmt::format(
                    "{} is the variable of a `for` loop, which is read once, not run; give it a value "
                    "with --define {}=VALUE",
                    ref, name);
                break;
            case Unresolved::Kind::Argument:
                message = fmt::format("{} is argument {} of the script itself; give it with --define {}=VALUE", ref,
                                      name, name);
                break;
            case Unresolved::Kind::Inherited: {
                std::string refs, hints;
                for (const auto& m : u.missing) {
                    refs += (refs.empty() ? "" : ", ") + m.reference;
                    hints += (hints.empty() ? "" : " ") + define_hint(m);
                }
                message = fmt::format(
                    "{} was set at line {} from {}, which had no value; give it with {} (or set {} "
                    "itself with --define {}=VALUE)",
                    ref, u.set_at.line, refs, hints, name, name);
                break;
            }
            case Unresolved::Kind::Unsupported:
                diagnostics_.error("E-BATCH-UNSUPPORTED-EXPANSION", location(u.where),
                                   fmt::format("{} cannot be computed here (it needs the file system, or the form is "
                                               "not understood); replace it in the script with its value",
                                               ref));
                continue;
        }
        diagnostics_.error("E-BATCH-UNDEFINED-VARIABLE", location(u.where), std::move(message));
    }
}

void Interpreter::emit(MappedText text, bool from_echo) {
    auto command = std::move(text).trimmed();
    if (command.empty()) return;
    ScriptLine line;
    line.text = std::move(command.text);
    line.map = std::move(command.origin);
    line.file = file_;
    line.from_echo = from_echo;
    out_.commands.push_back(std::move(line));
}

void Interpreter::note_once(const char* code, TextPosition where, std::string message) {
    if (noted_.insert({code, where.line, where.column}).second)
        diagnostics_.note(code, location(where), std::move(message));
}

}  // namespace winipsec::batch
