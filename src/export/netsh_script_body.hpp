#pragma once
// What the section writers (filter lists, filter actions, policies, rules,
// dynamic rules) share: the lines written so far, one command line being
// built, and the diagnostics every dropped or changed piece gets.
//
// Codes: W-EXPORT-NOT-WRITTEN (something is left out; a `rem` line in the
// script says what), W-EXPORT-CHANGED (written, but not as the store holds
// it), W-EXPORT-RENAMED, W-EXPORT-TEXT-CHANGED (a name or text netsh cannot
// carry as it is), W-EXPORT-PERCENT, W-EXPORT-BACKSLASH (values winipsec or
// netsh may read differently), W-EXPORT-PSK-REDACTED, W-EXPORT-STORE-LOCATION,
// W-EXPORT-LINE-TOO-LONG; notes N-EXPORT-*.
#include <string>
#include <string_view>
#include <vector>

#include "export/netsh_script_writer.hpp"
#include "import/diagnostics.hpp"

namespace winipsec::netsh_script {

// `ipsec static add filter filterlist="L" srcaddr=me ...`, without `netsh `.
class CommandLine {
public:
    explicit CommandLine(std::string_view head) : text_(head) {}
    // tag="value": `value` is carried already (ScriptBody::text, NameTable).
    CommandLine& quoted(std::string_view tag, std::string_view value);
    // tag=value for keywords, numbers and addresses.
    CommandLine& word(std::string_view tag, std::string_view value);
    CommandLine& flag(std::string_view tag, bool yes);
    CommandLine& number(std::string_view tag, std::uint64_t value);
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

class ScriptBody {
public:
    ScriptBody(const NetshScriptOptions& options, Diagnostics& diagnostics)
        : options(options), diagnostics(diagnostics) {}

    void command(const CommandLine& line, const SourceLocation& where);
    void comment(std::string_view text);
    void blank();
    void section(std::string_view title);
    // `what` is left out: a `rem NOT WRITTEN` line and W-EXPORT-NOT-WRITTEN.
    void not_written(const SourceLocation& where, std::string_view what, std::string_view why);
    void changed(const SourceLocation& where, std::string_view message);

    // Free text (a description, a key) ready for CommandLine::quoted, with a
    // W-EXPORT-TEXT-CHANGED when netsh cannot carry it as it is.
    std::string text(std::string_view value, const SourceLocation& where, std::string_view what);
    // W-EXPORT-PERCENT / W-EXPORT-BACKSLASH for a value about to be quoted;
    // `secret`: the message must not quote any of it.
    void check_hazards(std::string_view value, const SourceLocation& where, std::string_view what, bool secret = false);

    const std::vector<std::string>& lines() const { return lines_; }

    const NetshScriptOptions& options;
    Diagnostics& diagnostics;

private:
    std::vector<std::string> lines_;
};

}  // namespace winipsec::netsh_script
