#include "export/netsh_script_body.hpp"

#include <fmt/format.h>

#include "export/netsh_quoting.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {
namespace {

// cmd.exe refuses longer command lines ("The command line is too long").
constexpr std::size_t cmd_line_limit = 8191;

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += fmt::format("{}{}", out.empty() ? "" : ", ", p);
    return out;
}

}  // namespace

CommandLine& CommandLine::quoted(std::string_view tag, std::string_view value) {
    text_ += fmt::format(" {}={}", tag, netsh_script::quoted(value));
    return *this;
}

CommandLine& CommandLine::word(std::string_view tag, std::string_view value) {
    text_ += fmt::format(" {}={}", tag, value);
    return *this;
}

CommandLine& CommandLine::flag(std::string_view tag, bool yes) {
    return word(tag, yes_no(yes));
}

CommandLine& CommandLine::number(std::string_view tag, std::uint64_t value) {
    return word(tag, std::to_string(value));
}

void ScriptBody::command(const CommandLine& line, const SourceLocation& where) {
    std::string text = "netsh " + line.text();
    if (text.size() > cmd_line_limit)
        diagnostics.warning("W-EXPORT-LINE-TOO-LONG", where,
                            fmt::format("this command is {} characters long; cmd.exe runs at most {} per line and "
                                        "will refuse it. Shorten the names or descriptions",
                                        text.size(), cmd_line_limit));
    lines_.push_back(std::move(text));
}

void ScriptBody::comment(std::string_view text) {
    lines_.push_back(text.empty() ? std::string("rem") : "rem " + comment_text(text));
}

void ScriptBody::blank() {
    lines_.emplace_back();
}

void ScriptBody::section(std::string_view title) {
    blank();
    comment(fmt::format("---- {} ----", title));
}

void ScriptBody::not_written(const SourceLocation& where, std::string_view what, std::string_view why) {
    comment(fmt::format("NOT WRITTEN: {}: {}", what, why));
    diagnostics.warning(
        "W-EXPORT-NOT-WRITTEN", where,
        fmt::format("{} is left out of the netsh script: {}; the script will not recreate it", what, why));
}

void ScriptBody::changed(const SourceLocation& where, std::string_view message) {
    diagnostics.warning("W-EXPORT-CHANGED", where, std::string(message));
}

std::string ScriptBody::text(std::string_view value, const SourceLocation& where, std::string_view what) {
    CarriedText carried = carry_text(value);
    if (!carried.changes.empty())
        diagnostics.warning(
            "W-EXPORT-TEXT-CHANGED", where,
            fmt::format("{} cannot be written as it is on a netsh command line: {}", what, join(carried.changes)));
    check_hazards(carried.text, where, what);
    return std::move(carried.text);
}

void ScriptBody::check_hazards(std::string_view value, const SourceLocation& where, std::string_view what,
                               bool secret) {
    if (const std::string variable = variable_lookalike(value); !variable.empty())
        diagnostics.warning("W-EXPORT-PERCENT", where,
                            fmt::format("{} contains {}: the script doubles every % so that Windows reads it as "
                                        "written, but winipsec reading the script back takes it for a batch "
                                        "variable and skips the command",
                                        what, secret ? "% signs" : "'" + variable + "'"));
    if (ends_in_backslash(value))
        diagnostics.warning("W-EXPORT-BACKSLASH", where,
                            fmt::format("{} ends in a backslash, written right before the closing quote; whether "
                                        "netsh.exe reads \\\" as an escaped quote is not known [U]. Check this "
                                        "command on Windows",
                                        what));
}

}  // namespace winipsec::netsh_script
