#include "plugins/ipseccmd/ipseccmd_importer.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "import/batch_script.hpp"
#include "plugins/ipseccmd/ipseccmd_arguments.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"
#include "plugins/ipseccmd/ipseccmd_commands.hpp"
#include "plugins/ipseccmd/ipseccmd_invocation.hpp"

// ipseccmd.exe (XP/2003 Support Tools) and ipsecpol.exe (2000 Resource Kit)
// command lines in batch files (spec windows-ipsec.md §6). The batch layer
// (src/import/batch_script.hpp) finds the logical commands; this plugin
// recognises the invocations among them and applies them in order.
namespace winipsec {
namespace {

using namespace ipseccmd;

// An unsubstituted batch variable makes the command line unknowable; the
// invocation is skipped. The batch layer reports undefined variables itself
// (E-BATCH-UNDEFINED-VARIABLE); then a note says what it cost, otherwise
// (a layer that left it silently) an error does.
bool skipped_for_unresolved_variable(const ClassifiedLine& line, Diagnostics& diagnostics) {
    for (const auto& w : line.words) {
        const auto at = find_unresolved_variable(w.text);
        if (!at) continue;
        const SourceLocation where = w.at(*at);
        const bool reported = std::any_of(diagnostics.all().begin(), diagnostics.all().end(), [&](const Diagnostic& d) {
            return d.severity == Severity::Error && d.code.starts_with("E-BATCH-UNDEFINED") &&
                   d.where.line == where.line && d.where.path() == where.path();
        });
        // The variable as written: up to its closing '%' (or the word's end).
        std::string name = w.text.substr(*at);
        if (const auto close = name.find('%', name.starts_with("%%") ? 2 : 1);
            close != std::string::npos && !name.starts_with("%%"))
            name.resize(close + 1);
        else if (name.starts_with("%%"))
            name.resize(std::min<std::size_t>(3, name.size()));
        else
            name.resize(std::min<std::size_t>(2, name.size()));
        const std::string message = fmt::format(
            "this invocation is not applied: '{}' was not substituted, so its command line is unknown; define the "
            "variable with --define NAME=VALUE",
            name);
        if (reported)
            diagnostics.note(code::not_applied, where, message);
        else
            diagnostics.error(code::unresolved_variable, where, message);
        return true;
    }
    return false;
}

// The start of a line for a message, cut at a UTF-8 character boundary.
std::string shorten(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t");
    std::string s(begin == std::string_view::npos ? std::string_view() : text.substr(begin));
    if (s.size() > 72) {
        std::size_t cut = 69;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut) + "...";
    }
    return s;
}

class IpseccmdImporter final : public Importer {
public:
    std::string_view name() const override { return "ipseccmd"; }

    // Lines that are invocations count for us, netsh lines against us;
    // commented-out invocations alone (corpus #97) still point here weakly,
    // so that the user gets E-IPSECCMD-NO-COMMANDS rather than "unknown format".
    int recognise(const DecodedText& text) const override {
        int invocations = 0, commented = 0, netsh = 0;
        std::size_t pos = 0;
        while (pos <= text.utf8.size()) {
            const auto nl = text.utf8.find('\n', pos);
            ScriptLine line;
            line.text = text.utf8.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            const auto c = classify_line(line);
            if (c.kind == LineKind::Invocation)
                ++invocations;
            else if (c.kind == LineKind::CommentedInvocation)
                ++commented;
            else if (c.kind == LineKind::NotACommand && !c.hint.empty())
                ++netsh;
            if (nl == std::string::npos) break;
            pos = nl + 1;
        }
        if (invocations == 0) return commented > 0 && netsh == 0 ? 30 : 0;
        return 40 + (55 * invocations) / (invocations + netsh);
    }

    void import(const DecodedText& text, const ImportOptions& options, PolicyStore& store,
                Diagnostics& diagnostics) const override {
        const BatchScript script = read_batch_script(text, BatchOptions{options.defines}, diagnostics);
        ToolSession session(store, diagnostics);

        // Commented-out invocations from the batch layer, reported in line order among the rest.
        std::vector<const CommentedCommand*> commented;
        for (const auto& c : script.commented_out) {
            const std::string_view body = comment_body(c.text).value_or(std::string_view(c.text));
            if (looks_like_invocation(body)) commented.push_back(&c);
        }
        std::stable_sort(commented.begin(), commented.end(), [](const auto* a, const auto* b) {
            return std::pair(a->where.line, a->where.column) < std::pair(b->where.line, b->where.column);
        });
        std::size_t next_commented = 0;
        int commented_count = 0;
        auto note_commented = [&](const SourceLocation& where, std::string_view body) {
            ++commented_count;
            diagnostics.note(code::commented_out, where,
                             fmt::format("commented-out invocation, not applied: {}", shorten(body)));
        };
        auto flush_commented = [&](int before_line) {
            while (next_commented < commented.size() && commented[next_commented]->where.line < before_line) {
                const auto* c = commented[next_commented++];
                note_commented(c->where, comment_body(c->text).value_or(std::string_view(c->text)));
            }
        };

        int invocations = 0;
        bool vbscript_warned = false;
        int last_not_a_command_line = 0;  // one note per source line, though `&` splits it into commands
        for (const auto& line : script.commands) {
            flush_commented(line.start().line);
            const ClassifiedLine c = classify_line(line);
            switch (c.kind) {
                case LineKind::Blank:
                case LineKind::Comment: continue;
                case LineKind::CommentedInvocation: note_commented(line.start(), *comment_body(line.text)); continue;
                case LineKind::NotACommand:
                    if (line.start().line == last_not_a_command_line) continue;
                    last_not_a_command_line = line.start().line;
                    diagnostics.note(code::not_a_command, line.start(),
                                     fmt::format("'{}' is not an ipseccmd/ipsecpol invocation; ignored{}",
                                                 shorten(line.text), c.hint.empty() ? "" : " (" + c.hint + ")"));
                    continue;
                case LineKind::Invocation: break;
            }
            ++invocations;
            if (c.from_vbscript && !vbscript_warned) {
                vbscript_warned = true;
                diagnostics.warning(code::vbscript_string, c.words.front().at(0),
                                    "ipsecpol arguments taken from VBScript string literals (\"\" read as \"): the "
                                    "script decides whether, in which order and against which computer they run; "
                                    "they are imported in file order, as if run here");
            }
            const std::size_t verb = c.has_head ? 1 : 0;
            const bool wrapper_verb = c.words.size() > verb &&
                                      (iequals(c.words[verb].text, "export") || iequals(c.words[verb].text, "import"));
            if (!wrapper_verb && skipped_for_unresolved_variable(c, diagnostics)) continue;
            const auto raw = parse_arguments(c, diagnostics);
            if (!raw) continue;
            apply(*raw, session, diagnostics);
        }
        flush_commented(std::numeric_limits<int>::max());

        if (invocations == 0) {
            SourceLocation where;
            where.file = text.path;
            diagnostics.error(
                code::no_commands, where,
                fmt::format("no ipseccmd or ipsecpol invocation found{}; nothing imported",
                            commented_count == 0
                                ? std::string()
                                : fmt::format(" ({} commented-out invocation{} seen: remove the comment "
                                              "marker if they should count)",
                                              commented_count, commented_count == 1 ? " was" : "s were")));
        }
    }

private:
    static void apply(const RawInvocation& raw, ToolSession& session, Diagnostics& diagnostics) {
        auto operand = [&](std::size_t i) {
            return i < raw.operands.size() ? raw.operands[i].text : std::string("(no file)");
        };
        switch (raw.kind) {
            case InvocationKind::Policy:
                if (const auto inv = interpret(raw, diagnostics)) session.apply(*inv);
                return;
            case InvocationKind::Export:
                // A note, not a warning: exporting loses nothing (the wrapper
                // import is the one whose content we miss).
                diagnostics.note(code::no_effect, raw.where(),
                                 fmt::format("'{} export' writes the policy store to '{}'; it changes no policy",
                                             raw.head.text, operand(1)));
                return;
            case InvocationKind::Import:
                diagnostics.warning(code::file_not_read, raw.where(),
                                    fmt::format("'{} import' loads policies from '{}', which winipsec cannot read "
                                                "here: whatever it restores is missing; import that file separately "
                                                "if you have it",
                                                raw.head.text, operand(1)));
                return;
            case InvocationKind::BatchFile:
                diagnostics.warning(code::file_not_read, raw.where(),
                                    fmt::format("'-file {}' runs the ipseccmd commands in that file, which winipsec "
                                                "cannot read here; import that file separately if you have it",
                                                operand(0)));
                return;
            case InvocationKind::Query:
                diagnostics.note(code::no_effect, raw.where(), "'show' only queries the running policy; no change");
                return;
            case InvocationKind::Help:
                diagnostics.note(code::no_effect, raw.where(),
                                 "without switches (or with -?) the tool prints its "
                                 "usage; no change");
                return;
        }
    }
};

}  // namespace

const Importer& ipseccmd_importer() {
    static const IpseccmdImporter instance;
    return instance;
}

}  // namespace winipsec
