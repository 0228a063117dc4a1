// cmd.exe's parse of a batch file (its "phase 2"): statements, operator
// chains, parenthesised blocks, `if` and `for`, redirections and escape
// carets. Nothing runs here; see batch_script.cpp for the rules as a whole.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "import/batch_syntax.hpp"

namespace winipsec::batch {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// First blank-separated token of `text` (double quotes keep blanks inside).
std::string_view first_token(std::string_view text) {
    std::size_t i = 0;
    bool quoted = false;
    while (i < text.size() && (quoted || !is_blank(text[i]))) quoted ^= text[i++] == '"';
    return text.substr(0, i);
}

std::string_view skip_blanks(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    return text;
}

// `tokens=1,2*` / `tokens=1-3` / `tokens=*` of a `for /f` option string: how
// many loop variables it creates (cmd names them %%i, %%j, ... after the declared one).
int token_count(std::string_view options) {
    std::string low(options);
    std::transform(low.begin(), low.end(), low.begin(), [](char c) { return lower(c); });
    const auto at = low.find("tokens=");
    if (at == std::string::npos) return 1;
    int count = 0;
    bool star = false;
    int number = 0, range_start = -1;
    for (std::size_t i = at + 7; i <= low.size(); ++i) {
        const char c = i < low.size() ? low[i] : ' ';
        if (is_digit(c)) {
            number = number * 10 + (c - '0');
        } else if (c == '-') {
            range_start = number, number = 0;
        } else {
            if (number > 0) count += range_start >= 0 ? std::max(1, number - range_start + 1) : 1;
            number = 0, range_start = -1;
            if (c == '*') star = true;
            if (c != ',' && c != '*') break;
        }
    }
    return std::clamp(count + (star ? 1 : 0), 1, 26);
}

std::vector<char> loop_letters(char first, int count) {
    std::vector<char> letters{first};
    for (int k = 1;
         k < count && is_alpha(static_cast<char>(first + k)) && lower(static_cast<char>(first + k)) > lower(first); ++k)
        letters.push_back(static_cast<char>(first + k));
    return letters;
}

class Parser {
public:
    Parser(std::vector<MappedText> lines, const std::shared_ptr<const std::string>& file, Diagnostics& diagnostics)
        : lines_(std::move(lines)), file_(file), diagnostics_(diagnostics) {}

    Program run() {
        for (line_ = 0; line_ < lines_.size(); ++line_) {
            pos_ = 0;
            if (!line_start(&program_.statements)) continue;
            if (auto command = plain_command()) {
                std::vector<Link> chain;
                chain.push_back({Operator::First, std::move(*command)});
                add_chain(program_.statements, std::move(chain));
                continue;
            }
            while (!at_eol()) {
                if (peek() == ')') {  // cmd.exe rejects a `)` that closes nothing
                    error("E-BATCH-PARENTHESES", position(),
                          "this `)` closes no `(`; the rest of the line is ignored. Remove it or add the missing `(`");
                    pos_ = cur().size();
                    break;
                }
                add_chain(program_.statements, parse_chain(false));
            }
        }
        return std::move(program_);
    }

private:
    std::vector<MappedText> lines_;  // a line taken whole as a command is moved out
    std::shared_ptr<const std::string> file_;
    Diagnostics& diagnostics_;
    Program program_;
    std::size_t line_ = 0;
    std::size_t pos_ = 0;
    int nesting_ = 0;
    bool too_deep_reported_ = false;
    static constexpr int kMaxNesting = 200;

    const MappedText& cur() const { return lines_[line_]; }
    bool at_eol() const { return pos_ >= cur().size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < cur().size() ? cur()[pos_ + ahead] : '\0'; }
    std::string_view rest() const { return at_eol() ? std::string_view{} : std::string_view(cur().text).substr(pos_); }
    TextPosition position() const { return cur().at(pos_); }
    SourceLocation location(TextPosition p) const { return {file_, p.line, p.column}; }
    void error(const char* code, TextPosition where, std::string message) {
        diagnostics_.error(code, location(where), std::move(message));
    }
    void skip_blanks() {
        while (!at_eol() && is_blank(peek())) ++pos_;
    }
    void skip_blanks_and_at() {  // `@` (echo off for one command) may prefix any command
        while (!at_eol() && (is_blank(peek()) || peek() == '@')) ++pos_;
    }
    // The word at pos_ is `word` followed by a blank, `(`, or the end of the line.
    bool word_here(std::string_view word) const {
        const auto r = rest();
        if (!istarts_with(r, word)) return false;
        return r.size() == word.size() || is_blank(r[word.size()]) || r[word.size()] == '(';
    }

    static void add_chain(std::vector<Statement>& to, std::vector<Link> chain) {
        if (chain.empty()) return;
        const auto where = chain.front().command.where;
        to.push_back(Statement{{}, where, std::move(chain)});
    }

    // Start of a physical command line: markdown indentation, a console prompt
    // and `@` go; `::`/`#` comments and `:labels` end the line here. Returns
    // whether commands follow.
    bool line_start(std::vector<Statement>* labels) {
        skip_blanks();
        pos_ += prompt_length(rest());
        skip_blanks_and_at();
        if (at_eol()) return false;
        const auto r = rest();
        if (r.starts_with("::") || r.front() == '#') {
            comment(pos_ + (r.front() == '#' ? 1 : 2));
            return false;
        }
        if (r.front() == ':') {  // a label: never executed, only a target for goto/call
            const auto name = first_token(r.substr(1));
            if (labels && !name.empty()) labels->push_back(Statement{std::string(name), position(), {}});
            pos_ = cur().size();
            return false;
        }
        return true;
    }

    // A comment from `body_begin` to the end of the line.
    void comment(std::size_t body_begin) {
        const auto body = cur().slice(body_begin, cur().size()).trimmed();
        if (looks_like_known_command(body.text)) program_.commented_out.push_back({body.text, location(body.at(0))});
        pos_ = cur().size();
    }

    std::vector<Link> parse_chain(bool in_block) {
        std::vector<Link> links;
        Operator op = Operator::First;
        for (;;) {
            skip_blanks_and_at();
            if (at_eol() || (in_block && peek() == ')')) break;
            links.push_back({op, parse_command(in_block)});
            skip_blanks();
            if (at_eol()) break;
            if (peek() == '&') {
                op = peek(1) == '&' ? Operator::And : Operator::Then;
            } else if (peek() == '|') {
                op = peek(1) == '|' ? Operator::Or : Operator::Pipe;
            } else {
                break;
            }
            pos_ += (op == Operator::And || op == Operator::Or) ? 2 : 1;
        }
        return links;
    }

    Command parse_command(bool in_block) {
        const auto where = position();
        // Blocks and `if`/`for` bodies recurse; a hostile file must not
        // exhaust the stack. Past the bound, the rest is read as plain text.
        if (nesting_ >= kMaxNesting) {
            if (!too_deep_reported_)
                error("E-BATCH-SYNTAX", where,
                      fmt::format("blocks and `if`/`for` nest more than {} deep here; deeper ones are read as "
                                  "plain commands",
                                  kMaxNesting));
            too_deep_reported_ = true;
            return parse_simple(in_block);
        }
        struct Nest {
            int& depth;
            explicit Nest(int& d) : depth(d) { ++depth; }
            ~Nest() { --depth; }
        } nest(nesting_);
        if (peek() == '(') return parse_block();
        const auto save = pos_;
        if (word_here("rem") && peek(3) != '(') {
            comment(pos_ + 3);
            Command c;
            c.kind = Command::Kind::Comment;
            c.where = where;
            return c;
        }
        if (word_here("if"))
            if (auto c = parse_if(where, in_block)) return std::move(*c);
        pos_ = save;
        if (word_here("for"))
            if (auto c = parse_for(where, in_block)) return std::move(*c);
        pos_ = save;
        return parse_simple(in_block);
    }

    // After `(`: statements over as many lines as it takes, up to the matching `)`.
    Command parse_block() {
        Command block;
        block.kind = Command::Kind::Block;
        block.where = position();
        ++pos_;
        for (;;) {
            skip_blanks();
            if (at_eol()) {
                if (line_ + 1 >= lines_.size()) {
                    error("E-BATCH-PARENTHESES", block.where,
                          "this `(` is never closed, so cmd.exe would not run the block; its commands up to the end "
                          "of the file are imported as its body. Add the missing `)`");
                    return block;
                }
                ++line_;
                pos_ = 0;
                line_start(nullptr);  // labels inside a block are not goto targets
                continue;
            }
            if (peek() == ')') {
                ++pos_;
                return block;
            }
            add_chain(block.body, parse_chain(true));
        }
    }

    // A token of an `if` condition or `for` head: blank-separated, quotes
    // kept together; an unquoted parenthesis ends it.
    std::string_view read_token(std::size_t* begin = nullptr) {
        skip_blanks();
        const auto start = pos_;
        bool quoted = false;
        while (!at_eol() && (quoted || (!is_blank(peek()) && !((peek() == '(' || peek() == ')') && pos_ > start))))
            quoted ^= cur()[pos_++] == '"';
        if (begin) *begin = start;
        return std::string_view(cur().text).substr(start, pos_ - start);
    }

    // Reads the condition; nullopt when this is not an `if` cmd.exe would
    // accept (then the line is passed through as a plain command).
    std::optional<Command> parse_if(TextPosition where, bool in_block) {
        pos_ += 2;
        std::size_t begin = 0;
        auto tok = read_token(&begin);
        const auto cond_begin = begin;
        if (iequals(tok, "/i")) tok = read_token();
        if (iequals(tok, "not")) tok = read_token();
        if (tok.empty()) return std::nullopt;
        static constexpr std::string_view unary[] = {"errorlevel", "exist", "defined", "cmdextversion"};
        static constexpr std::string_view compare[] = {"equ", "neq", "lss", "leq", "gtr", "geq"};
        const auto is_one_of = [](std::string_view t, const auto& set) {
            return std::any_of(std::begin(set), std::end(set), [&](std::string_view s) { return iequals(t, s); });
        };
        if (is_one_of(tok, unary)) {
            if (read_token().empty()) return std::nullopt;
        } else if (const auto eq = tok.find("=="); eq != std::string_view::npos) {
            if (eq + 2 == tok.size() && read_token().empty()) return std::nullopt;  // `a== b`
        } else {
            const auto op = read_token();
            if (op == "==" || is_one_of(op, compare)) {
                if (read_token().empty()) return std::nullopt;
            } else if (!op.starts_with("==")) {
                return std::nullopt;
            }
        }
        Command c;
        c.kind = Command::Kind::If;
        c.where = where;
        c.text = cur().slice(cond_begin, pos_).trimmed();
        skip_blanks();
        if (at_eol() || (in_block && peek() == ')')) {
            error("E-BATCH-SYNTAX", where, "this `if` has no command to run; it is ignored");
            c.kind = Command::Kind::Comment;
            return c;
        }
        if (peek() != '(') {  // the rest of the line, `&&` tails included, is the body
            add_chain(c.body, parse_chain(in_block));
            return c;
        }
        c.body = parse_block().body;
        skip_blanks();
        if (word_here("else")) {
            c.has_else = true;
            pos_ += 4;
            skip_blanks();
            if (peek() == '(')
                c.else_body = parse_block().body;
            else
                add_chain(c.else_body, parse_chain(in_block));
        }
        return c;
    }

    // `for [/d | /r [path] | /l | /f ["options"]] %%v in (set) do command`;
    // nullopt before `in (` (prose such as "For example ..." stays a line).
    std::optional<Command> parse_for(TextPosition where, bool in_block) {
        const auto start = pos_;
        pos_ += 3;
        std::string_view options;
        char variable = 0;
        bool after_r = false;
        for (int n = 0; n < 5 && !variable; ++n) {
            const auto tok = read_token();
            if (tok.empty()) return std::nullopt;
            if (tok[0] == '%') {
                if (tok.size() == 3 && tok[1] == '%')
                    variable = tok[2];
                else if (tok.size() == 2)
                    variable = tok[1];
                else
                    return std::nullopt;
            } else if (tok[0] == '"') {
                options = tok;
            } else if (tok[0] != '/' && !after_r) {
                return std::nullopt;
            }
            after_r = iequals(tok, "/r");
        }
        if (!variable || !iequals(read_token(), "in")) return std::nullopt;
        skip_blanks();
        if (peek() != '(') return std::nullopt;

        Command c;
        c.kind = Command::Kind::Comment;  // until it proves runnable
        c.where = where;
        const auto set_open = position();
        bool quoted = false;
        for (++pos_; !at_eol() && (quoted || peek() != ')'); ++pos_) {
            if (peek() == '"') quoted = !quoted;
            if (peek() == '^' && !quoted) ++pos_;
        }
        if (at_eol()) {
            error("E-BATCH-PARENTHESES", set_open, "the set of this `for` has no closing `)`; the loop is ignored");
            return c;
        }
        ++pos_;
        skip_blanks();
        if (!word_here("do")) {
            error("E-BATCH-SYNTAX", where, "this `for` has no `do`; the loop is ignored");
            pos_ = cur().size();
            return c;
        }
        pos_ += 2;
        c.text = cur().slice(start, pos_);
        skip_blanks();
        if (at_eol() || (in_block && peek() == ')')) {
            error("E-BATCH-SYNTAX", where, "this `for` has no command after `do`; the loop is ignored");
            return c;
        }
        c.kind = Command::Kind::For;
        c.loop_variables = loop_letters(variable, token_count(options));
        if (peek() == '(')
            c.body = parse_block().body;
        else
            add_chain(c.body, parse_chain(in_block));
        return c;
    }

    // `<PASSWORD>`, `<policy-name>`: a documentation placeholder, not two
    // redirections (cmd would fail on it; the importer should see the text).
    std::size_t placeholder_length() const {
        std::size_t j = pos_ + 1;
        bool letter = false;
        while (j < cur().size() && (is_alpha(cur()[j]) || is_digit(cur()[j]) || cur()[j] == '_' || cur()[j] == '-'))
            letter |= is_alpha(cur()[j++]);
        if (!letter || j >= cur().size() || cur()[j] != '>') return 0;
        const char after = j + 1 < cur().size() ? cur()[j + 1] : ' ';
        return (is_blank(after) || after == '"' || after == '&' || after == '|') ? j + 1 - pos_ : 0;
    }

    // `>nul`, `> file`, `>>file`, `2>nul`, `2>&1`, `<file`: cut from the
    // command. Remembers whether stdout went to a real file (echo payloads).
    void redirection(Command& c, bool in_block) {
        int handle = -1;
        if (is_digit(peek())) handle = cur()[pos_++] - '0';
        const bool output = peek() == '>';
        ++pos_;
        if (output && peek() == '>') ++pos_;
        if (peek() == '&') {  // handle duplication: no file
            ++pos_;
            if (is_digit(peek())) ++pos_;
            return;
        }
        skip_blanks();
        std::string target;
        bool quoted = false;
        while (!at_eol()) {
            const char ch = peek();
            if (!quoted &&
                (is_blank(ch) || ch == '&' || ch == '|' || ch == '<' || ch == '>' || (in_block && ch == ')')))
                break;
            if (ch == '"')
                quoted = !quoted;
            else
                target.push_back(ch);
            ++pos_;
        }
        if (output && (handle == -1 || handle == 1) && !target.empty() && !iequals(target, "nul") &&
            !iequals(target, "nul:"))
            c.output_to_file = true;
    }

    // The rest of the line as one simple command, when nothing in it is
    // special to cmd.exe's parser (no operator, redirection, escape or
    // parenthesis; no rem/if/for): parse_chain would copy it whole. Most
    // lines of a big script are like this, and are taken without the walk
    // byte by byte; a line taken from its start is moved, not copied.
    std::optional<Command> plain_command() {
        if (word_here("rem") || word_here("if") || word_here("for")) return std::nullopt;
        static constexpr auto special = [] {
            std::array<bool, 256> table{};
            for (const unsigned char c : std::string_view("^&|<>()")) table[c] = true;
            return table;
        }();
        const auto r = rest();
        if (std::any_of(r.begin(), r.end(), [](char c) { return special[static_cast<unsigned char>(c)]; }))
            return std::nullopt;
        Command c;
        c.where = position();
        c.text = pos_ == 0 ? std::move(lines_[line_]) : cur().slice(pos_, cur().size());
        c.text = std::move(c.text).trimmed();
        if (!c.text.empty()) c.where = c.text.at(0);
        pos_ = cur().size();
        return c;
    }

    // One command up to an unquoted `&`, `|` (or `)` inside a block). Bytes
    // are copied in stretches: what lies between two removed pieces (an
    // escape caret, a redirection) keeps its origin as one run.
    Command parse_simple(bool in_block) {
        Command c;
        c.where = position();
        c.text.set_end(position());
        std::size_t kept = pos_;  // start of the stretch not yet copied
        const auto copy_kept = [&] { c.text.append(cur(), kept, pos_); };
        bool quoted = false;
        while (!at_eol()) {
            const char ch = peek();
            if (quoted || ch == '"') {
                if (ch == '"') quoted = !quoted;
                ++pos_;
            } else if (ch == '^') {  // escape: the next character is literal, the caret goes
                copy_kept();
                kept = ++pos_;
                if (!at_eol()) ++pos_;
            } else if (ch == '&' || ch == '|' || (in_block && ch == ')')) {
                break;
            } else if (ch == '<' && placeholder_length() > 0) {
                pos_ += placeholder_length();
            } else if (ch == '<' || ch == '>' ||
                       (is_digit(ch) && peek(1) == '>' && (pos_ == 0 || is_blank(cur()[pos_ - 1])))) {
                copy_kept();
                redirection(c, in_block);
                kept = pos_;
            } else {
                ++pos_;
            }
        }
        copy_kept();
        c.text = std::move(c.text).trimmed();  // `>>file echo x`: the blank after a leading redirection goes too
        if (!c.text.empty()) c.where = c.text.at(0);
        return c;
    }
};

}  // namespace

Program parse_program(std::vector<MappedText> lines, const std::shared_ptr<const std::string>& file,
                      Diagnostics& diagnostics) {
    return Parser(std::move(lines), file, diagnostics).run();
}

std::size_t prompt_length(std::string_view text) {
    std::size_t i = istarts_with(text, "PS ") ? 3 : 0;
    if (i + 2 >= text.size() || !is_alpha(text[i]) || text[i + 1] != ':' || text[i + 2] != '\\') return 0;
    // A prompt is a directory: no blanks, dots or shell operators before `>`
    // (`C:\tools\ipseccmd.exe > nul` is a command, not a prompt).
    for (i += 3; i < text.size() && text[i] != '>'; ++i)
        if (is_blank(text[i]) || text[i] == '.' || text[i] == '"' || text[i] == '<' || text[i] == '|' || text[i] == '&')
            return 0;
    if (i >= text.size()) return 0;
    for (++i; i < text.size() && is_blank(text[i]);) ++i;
    return i;
}

bool looks_like_known_command(std::string_view body) {
    while (!body.empty() &&
           (is_blank(body.front()) || body.front() == '#' || body.front() == ':' || body.front() == '@'))
        body.remove_prefix(1);
    body = skip_blanks(body.substr(prompt_length(body)));
    auto word = first_token(body);
    if (iequals(word, "echo")) {
        body = skip_blanks(body.substr(word.size()));
        word = first_token(body);
    }
    const auto next = first_token(skip_blanks(body.substr(word.size())));
    if (word.size() >= 2 && word.front() == '"' && word.back() == '"') word = word.substr(1, word.size() - 2);
    if (const auto slash = word.find_last_of("\\/"); slash != std::string_view::npos) word = word.substr(slash + 1);
    if (word.size() > 4 && iequals(word.substr(word.size() - 4), ".exe")) word.remove_suffix(4);
    if (iequals(word, "netsh") || iequals(word, "ipseccmd") || iequals(word, "ipsecpol")) return true;
    // Bare `ipsec` is also an English word in prose comments: require the
    // shape of a command (netsh context mode, or ipseccmd through a renamed binary).
    return iequals(word, "ipsec") && (iequals(next, "static") || iequals(next, "dynamic") || iequals(next, "export") ||
                                      iequals(next, "import") || next.starts_with("-") || next.starts_with("\u2013"));
}

}  // namespace winipsec::batch
