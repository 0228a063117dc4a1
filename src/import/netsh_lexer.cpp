#include "import/netsh_lexer.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace winipsec::netsh {
namespace {

enum class Quote { None, Ascii, SmartDouble, SmartSingle };

// “ ” ‘ ’ in UTF-8 are E2 80 9C / 9D / 98 / 99.
std::optional<Quote> smart_quote_at(std::string_view s, std::size_t i) {
    if (i + 2 >= s.size() || s[i] != '\xE2' || s[i + 1] != '\x80') return std::nullopt;
    switch (s[i + 2]) {
        case '\x9C':
        case '\x9D': return Quote::SmartDouble;
        case '\x98':
        case '\x99': return Quote::SmartSingle;
        default: return std::nullopt;
    }
}

// One white-space separated word before `tag = value` joining. Its text
// (quotes removed) lives in a buffer shared by the words of the line.
struct Word {
    std::size_t text_begin = 0, text_size = 0;  // in the shared buffer
    std::size_t begin = 0, end = 0;             // offsets in the line
    std::size_t eq = std::string::npos;         // index in the text of the first unquoted '='
    std::size_t eq_offset = 0;                  // offset in the line of that '='
    bool quoted = false;
    bool unterminated = false;

    bool has_eq() const { return eq != std::string::npos; }
    bool is_lone_eq() const { return has_eq() && text_size == 1; }
};

struct Words {
    std::string buffer;
    std::vector<Word> list;

    std::string_view text(const Word& w) const { return std::string_view(buffer).substr(w.text_begin, w.text_size); }
};

void split_words(std::string_view s, std::size_t begin, std::size_t end, Words& words) {
    words.buffer.clear();
    words.list.clear();
    words.buffer.reserve(end - begin);
    std::size_t i = begin;
    while (i < end) {
        while (i < end && is_blank(s[i])) ++i;
        if (i >= end) break;
        Word& w = words.list.emplace_back();  // filled in place: no copy of a half-written word
        w.begin = i;
        w.text_begin = words.buffer.size();
        std::string& text = words.buffer;
        Quote quote = Quote::None;
        bool at_value_start = true;  // a typographic quote may open a value here
        while (i < end) {
            const char c = s[i];
            // Bytes that are not a blank, a quote (ASCII or the lead byte of a
            // typographic one) or `=` are text whatever the state: copied as a stretch.
            const auto plain = [](char b) { return b != '"' && b != '=' && b != '\xE2' && !is_blank(b); };
            if (plain(c)) {
                std::size_t j = i + 1;
                while (j < end && plain(s[j])) ++j;
                text.append(s.data() + i, j - i);
                at_value_start = false;
                i = j;
                continue;
            }
            if (quote == Quote::None && is_blank(c)) break;
            if (c == '"' && (quote == Quote::None || quote == Quote::Ascii)) {
                quote = quote == Quote::None ? Quote::Ascii : Quote::None;
                w.quoted = true;
                ++i;
                continue;
            }
            if (const auto smart = smart_quote_at(s, i); smart && i + 3 <= end) {
                if (quote == Quote::None && at_value_start) {
                    quote = *smart;
                    w.quoted = true;
                    i += 3;
                    continue;
                }
                if (quote == *smart) {
                    quote = Quote::None;
                    i += 3;
                    continue;
                }
            }
            if (c == '=' && quote == Quote::None && !w.has_eq()) {
                w.eq = text.size() - w.text_begin;
                w.eq_offset = i;
                text.push_back(c);
                at_value_start = true;
                ++i;
                continue;
            }
            text.push_back(c);
            at_value_start = false;
            ++i;
        }
        w.text_size = text.size() - w.text_begin;
        w.unterminated = quote != Quote::None;
        w.end = i;
    }
}

}  // namespace

namespace {

// `loc` = the location of line.text[offset], keeping the file reference it
// already holds when it is the line's (no reference count traffic).
void locate(SourceLocation& loc, const ScriptLine& line, std::size_t offset) {
    const TextPosition p = line.position(offset);
    if (loc.file != line.file) loc.file = line.file;
    loc.line = p.line;
    loc.column = p.column;
}

}  // namespace

std::vector<Token> lex(const ScriptLine& line, std::size_t begin, std::size_t end) {
    std::vector<Token> tokens;
    lex_into(line, begin, end, tokens);
    return tokens;
}

void lex_into(const ScriptLine& line, std::size_t begin, std::size_t end, std::vector<Token>& tokens) {
    thread_local Words split;  // scratch kept between lines: lex runs for every command
    split_words(line.text, begin, end, split);
    const std::vector<Word>& words = split.list;
    // `tag = value`, `tag= value`: the value is a word of its own.
    const auto take_value = [&](Token& t, const Word& v) {
        t.value = split.text(v);
        locate(t.value_at, line, v.begin);
        t.quoted = v.quoted;
        t.unterminated_quote = v.unterminated;
        t.end = v.end;
    };
    std::size_t count = 0;
    for (std::size_t k = 0; k < words.size(); ++k) {
        const Word& w = words[k];
        const std::string_view text = split.text(w);
        if (count == tokens.size()) tokens.emplace_back();
        Token& t = tokens[count++];  // every field is set below
        t.begin = w.begin;
        t.end = w.end;
        t.tagged = false;
        t.quoted = w.quoted;
        t.unterminated_quote = w.unterminated;
        t.tag.clear();
        locate(t.at, line, w.begin);
        const bool next_is_eq_start = k + 1 < words.size() && words[k + 1].has_eq() && words[k + 1].eq == 0;
        if (!w.has_eq() && next_is_eq_start && !text.empty()) {
            // `tag = value` or `tag =value`
            const Word& eq = words[k + 1];
            t.tagged = true;
            t.tag = text;
            if (eq.is_lone_eq() && k + 2 < words.size() && !words[k + 2].has_eq()) {
                take_value(t, words[k + 2]);
                k += 2;
            } else {
                t.value = split.text(eq).substr(1);
                locate(t.value_at, line, eq.eq_offset + 1);
                t.quoted = eq.quoted;
                t.unterminated_quote = eq.unterminated;
                t.end = eq.end;
                k += 1;
            }
        } else if (w.has_eq() && w.eq > 0) {
            t.tagged = true;
            t.tag = text.substr(0, w.eq);
            t.value = text.substr(w.eq + 1);
            locate(t.value_at, line, w.eq_offset + 1);
            // `tag= value`: the value is the next word unless that word is a tag of its own.
            if (t.value.empty() && !w.quoted && k + 1 < words.size() && !words[k + 1].has_eq()) {
                take_value(t, words[k + 1]);
                k += 1;
            }
        } else {
            t.value = text;
            t.value_at = t.at;
        }
    }
    tokens.resize(count);
}

CommandWords first_words(std::string_view s, std::size_t begin, std::size_t end, std::size_t limit) {
    CommandWords words;
    limit = std::min(limit, CommandWords::capacity);
    std::size_t i = begin;
    while (i < end && words.size() < limit) {
        while (i < end && is_blank(s[i])) ++i;
        if (i >= end) break;
        const std::size_t start = i;
        bool quoted = false;
        while (i < end && (quoted || !is_blank(s[i]))) {
            if (s[i] == '"') quoted = !quoted;
            ++i;
        }
        std::string_view w = s.substr(start, i - start);
        if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
        words.push_back({w, start, i});
    }
    return words;
}

namespace {

char fold(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ends_with_folded(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    text.remove_prefix(text.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i)
        if (fold(text[i]) != suffix[i]) return false;
    return true;
}

}  // namespace

bool is_netsh_executable(std::string_view w) {
    for (const std::string_view name : {"netsh", "netsh.exe"}) {
        if (!ends_with_folded(w, name)) continue;
        if (w.size() == name.size()) return true;
        const char sep = w[w.size() - name.size() - 1];
        if (sep == '\\' || sep == '/') return true;
    }
    return false;
}

}  // namespace winipsec::netsh
