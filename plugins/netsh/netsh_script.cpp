#include "plugins/netsh/netsh_script.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_context.hpp"
#include "import/netsh_lexer.hpp"
#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {

int physical_line(const ScriptLine& line, std::size_t offset) {
    return line.at(offset).line;
}

std::string excerpt(std::string_view text) {
    constexpr std::size_t limit = 60;
    if (text.size() <= limit) return std::string(text);
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    return std::string(text.substr(0, cut)) + "...";
}

class Runner {
public:
    Runner(PolicyStore& store, Diagnostics& diagnostics) : store_(store), d_(diagnostics) {}

    void run(const BatchScript& script, const std::shared_ptr<const std::string>& file) {
        std::size_t next_comment = 0;
        auto comments_before = [&](int line) {
            while (next_comment < script.commented_out.size() &&
                   (line == 0 || script.commented_out[next_comment].where.line < line)) {
                flush();
                report_commented(script.commented_out[next_comment++]);
            }
        };
        for (const ScriptLine& line : script.commands) {
            comments_before(physical_line(line, 0));
            feed(line);
        }
        flush();
        comments_before(0);
        if (ipsec_commands_ == 0) {
            SourceLocation where;
            where.file = file;
            d_.error("E-NETSH-NO-COMMANDS", where,
                     "no netsh ipsec command found in this file; check --format (ipseccmd, ipsecpol and .reg "
                     "files have their own) or whether the commands are commented out");
        }
    }

private:
    std::optional<Context> pushed() const {
        return contexts_.empty() ? std::nullopt : std::optional<Context>(contexts_.back());
    }

    void feed(const ScriptLine& line) {
        if (line.from_echo) saw_echo_ = true;
        const Trimmed t = trim_decorations(line.text);
        if (t.begin >= t.end) return;
        // Classified once for both readings: flush() runs a command, which
        // does not change the pushed contexts the head depends on.
        const LineHead head = classify_line(line.text, t.begin, t.end, pushed());
        const bool netsh =
            continue_pending(line, head, t.begin, t.end) || (flush(), segment(line, head, t.begin, t.end));
        if (netsh && t.backtick)
            d_.warning("W-NETSH-STRAY-BACKTICK", line.at(*t.backtick),
                       "a markdown backtick (`) is not part of a netsh command; removed");
    }

    // A line made only of tag=value tokens right below a command continues it
    // (book and markdown wrapping, corpus #17, #94): cmd.exe would run it as a
    // command of its own, which fails, but the author meant one command.
    bool continue_pending(const ScriptLine& line, const LineHead& head, std::size_t b, std::size_t e) {
        if (!pending_ || pending_->from_echo || line.from_echo) return false;
        if (head.kind != LineKind::Foreign) return false;
        if (physical_line(line, b) != pending_->last_line + 1) return false;
        std::vector<Token> tokens = lex(line, b, e);
        if (tokens.empty()) return false;
        const bool all_tagged = std::all_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.tagged; });
        const bool verb_below_head = pending_->command.words.empty() && !tokens.front().tagged &&
                                     is_verb(pending_->command.context, tokens.front().value);
        if (!all_tagged && !verb_below_head) return false;
        d_.warning("W-NETSH-WRAPPED-LINE", line.at(b),
                   fmt::format("this line continues the command of line {} (broken without a continuation "
                               "character, as books and web pages do); joined to it. cmd.exe would run it on its "
                               "own, and it would fail",
                               pending_->command.where.line));
        warn_unterminated(tokens);
        for (auto& t : tokens) pending_->command.words.push_back(std::move(t));
        pending_->last_line = physical_line(line, e - 1);
        return true;
    }

    // Returns whether the line was netsh (a command or a context line).
    bool segment(const ScriptLine& line, const LineHead& head, std::size_t b, std::size_t e) {
        switch (head.kind) {
            case LineKind::PushContext: contexts_.push_back(head.context); return true;
            case LineKind::PopContext:
                if (!contexts_.empty()) contexts_.pop_back();
                return true;
            case LineKind::Exit: contexts_.clear(); return true;
            case LineKind::ScriptFile: script_file(line, head); return true;
            case LineKind::OtherNetsh:
                d_.note("N-NETSH-NOT-A-COMMAND", line.at(b),
                        fmt::format("'netsh {}' is not an IPsec command; ignored", head.detail));
                return false;
            case LineKind::BadContext:
                ++ipsec_commands_;
                d_.error("E-NETSH-UNKNOWN-COMMAND", line.at(b),
                         fmt::format("'netsh ipsec {}': the context must be static or dynamic", head.detail));
                return true;
            case LineKind::Foreign:
                d_.note("N-NETSH-NOT-A-COMMAND", line.at(b),
                        fmt::format("not a netsh ipsec command; ignored: {}",
                                    excerpt(std::string_view(line.text).substr(b, e - b))));
                return false;
            case LineKind::Command: break;
        }
        const auto split = find_merged_head(line.text, head.verb, e);
        const std::size_t stop = split.value_or(e);
        Command command;
        command.context = head.context;
        command.where = line.at(head.begin);
        command.words = std::move(spare_words_);
        lex_into(line, head.verb, stop, command.words);
        warn_unterminated(command.words);
        if (head.context != Context::Consec) ++ipsec_commands_;
        pending_ = Pending{std::move(command), physical_line(line, stop > b ? stop - 1 : b), line.from_echo};
        if (split) {
            // Corpus #12: `add filterlist name=X` lost its line break, so cmd.exe
            // ran `... name=Xnetsh ipsec static add filter ...` as one command.
            d_.warning("W-NETSH-MERGED-COMMANDS", line.at(*split),
                       "a second netsh command starts here with no line break before it; taken as two commands. "
                       "On Windows both ran as one command, which failed (the first command's last value got "
                       "the second command glued to it)");
            flush();
            segment(line, classify_line(line.text, *split, e, pushed()), *split, e);
        }
        return true;
    }

    void warn_unterminated(const std::vector<Token>& tokens) {
        for (const Token& t : tokens)
            if (t.unterminated_quote)
                d_.warning("W-NETSH-UNTERMINATED-QUOTE", t.at,
                           "a quote opened here is not closed; the value runs to the end of the line");
    }

    void script_file(const ScriptLine& line, const LineHead& head) {
        if (saw_echo_)
            d_.note("N-NETSH-SCRIPT-FILE", line.at(head.begin),
                    fmt::format("runs the netsh script '{}'; its commands were taken from the echo lines that "
                                "write it",
                                head.detail));
        else
            d_.warning("W-NETSH-SCRIPT-NOT-READ", line.at(head.begin),
                       fmt::format("runs the netsh script '{}', which is not part of this input; import that file "
                                   "as well",
                                   head.detail));
    }

    void report_commented(const CommentedCommand& c) {
        if (!looks_like_netsh_ipsec(c.text)) return;
        d_.note("N-NETSH-COMMENTED-OUT", c.where, fmt::format("commented out, so never run: {}", excerpt(c.text)));
    }

    void flush() {
        if (!pending_) return;
        execute(pending_->command, state_, store_, d_);
        spare_words_ = std::move(pending_->command.words);  // its tokens are reused by the next command
        pending_.reset();
    }

    struct Pending {
        Command command;
        int last_line = 0;
        bool from_echo = false;
    };

    PolicyStore& store_;
    Diagnostics& d_;
    ScriptState state_;
    std::vector<Context> contexts_;
    std::optional<Pending> pending_;
    std::vector<Token> spare_words_;
    std::size_t ipsec_commands_ = 0;
    bool saw_echo_ = false;
};

}  // namespace

namespace {
// Blanks collapsed, lower case: "netsh  ipsec  static" -> "netsh ipsec static".
std::string normalised(std::string_view text) {
    std::string s;
    for (const char c : text) {
        if (is_blank(c)) {
            if (!s.empty() && s.back() != ' ') s.push_back(' ');
        } else {
            s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        }
    }
    return s;
}
}  // namespace

bool looks_like_netsh_ipsec(std::string_view text) {
    const std::string s = normalised(text);
    return s.find("ipsec static") != std::string::npos || s.find("ipsec dynamic") != std::string::npos ||
           s.find("pushd ipsec") != std::string::npos;
}

bool looks_like_consec(std::string_view text) {
    return normalised(text).find("advfirewall consec") != std::string::npos;
}

void run_script(const BatchScript& script, const std::shared_ptr<const std::string>& file, PolicyStore& store,
                Diagnostics& diagnostics) {
    Runner(store, diagnostics).run(script, file);
    forget_filter_index();
}

}  // namespace winipsec::netsh
