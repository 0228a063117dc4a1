#include "plugins/consec/consec_lexer.hpp"

#include <optional>
#include <string_view>

namespace winipsec::consec {
namespace {

enum class Quote { None, Ascii, SmartDouble, SmartSingle };

// “ ” and ‘ ’ in UTF-8: E2 80 9C / 9D and E2 80 98 / 99.
std::optional<Quote> smart_quote(std::string_view s, std::size_t i, std::size_t end) {
    if (i + 3 > end || s[i] != '\xE2' || s[i + 1] != '\x80') return std::nullopt;
    switch (s[i + 2]) {
        case '\x9C':
        case '\x9D': return Quote::SmartDouble;
        case '\x98':
        case '\x99': return Quote::SmartSingle;
        default: return std::nullopt;
    }
}

struct Word {
    std::string text;  // quotes removed
    std::size_t begin = 0;
    std::size_t eq = std::string::npos;  // index in text of the first unquoted '='
    std::size_t eq_offset = 0;           // its offset in the line
    bool quoted = false;
    bool unterminated = false;
    bool has_eq() const { return eq != std::string::npos; }
};

std::vector<Word> words_of(std::string_view s, std::size_t i, std::size_t end) {
    std::vector<Word> words;
    while (i < end) {
        while (i < end && is_blank(s[i])) ++i;
        if (i >= end) break;
        Word w;
        w.begin = i;
        Quote quote = Quote::None;
        bool value_start = true;  // a typographic quote may open a value here
        while (i < end && (quote != Quote::None || !is_blank(s[i]))) {
            if (s[i] == '"' && (quote == Quote::None || quote == Quote::Ascii)) {
                quote = quote == Quote::None ? Quote::Ascii : Quote::None;
                w.quoted = true;
                ++i;
                continue;
            }
            if (const auto q = smart_quote(s, i, end)) {
                if (quote == Quote::None && value_start) {
                    quote = *q;
                    w.quoted = true;
                    i += 3;
                    continue;
                }
                if (quote == *q) {
                    quote = Quote::None;
                    i += 3;
                    continue;
                }
            }
            if (s[i] == '=' && quote == Quote::None && !w.has_eq()) {
                w.eq = w.text.size();
                w.eq_offset = i;
                w.text.push_back('=');
                value_start = true;
                ++i;
                continue;
            }
            w.text.push_back(s[i]);
            value_start = false;
            ++i;
        }
        w.unterminated = quote != Quote::None;
        words.push_back(std::move(w));
    }
    return words;
}

}  // namespace

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<Token> lex(const ScriptLine& line, std::size_t begin, std::size_t end) {
    const auto words = words_of(line.text, begin, std::min(end, line.text.size()));
    std::vector<Token> tokens;
    for (std::size_t k = 0; k < words.size(); ++k) {
        const Word& w = words[k];
        Token t;
        t.at = line.at(w.begin);
        t.quoted = w.quoted;
        t.unterminated_quote = w.unterminated;
        auto take_value = [&](const Word& v, std::string value, std::size_t value_offset) {
            t.value = std::move(value);
            t.value_at = line.at(value_offset);
            t.quoted = t.quoted || v.quoted;
            t.unterminated_quote = t.unterminated_quote || v.unterminated;
        };
        const bool next_starts_eq = k + 1 < words.size() && words[k + 1].eq == 0;
        if (!w.has_eq() && next_starts_eq && !w.text.empty()) {
            // `tag = value` or `tag =value`
            t.tagged = true;
            t.tag = w.text;
            const Word& eq = words[k + 1];
            if (eq.text.size() == 1 && k + 2 < words.size() && !words[k + 2].has_eq()) {
                take_value(words[k + 2], words[k + 2].text, words[k + 2].begin);
                k += 2;
            } else {
                take_value(eq, eq.text.substr(1), eq.eq_offset + 1);
                k += 1;
            }
        } else if (w.has_eq() && w.eq > 0) {
            t.tagged = true;
            t.tag = w.text.substr(0, w.eq);
            take_value(w, w.text.substr(w.eq + 1), w.eq_offset + 1);
            // `tag= value`: the value is the next word unless that is a tag of its own.
            if (t.value.empty() && !w.quoted && k + 1 < words.size() && !words[k + 1].has_eq()) {
                take_value(words[k + 1], words[k + 1].text, words[k + 1].begin);
                k += 1;
            }
        } else {
            take_value(w, w.text, w.begin);
        }
        tokens.push_back(std::move(t));
    }
    return tokens;
}

}  // namespace winipsec::consec
