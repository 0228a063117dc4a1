#include "plugins/ipseccmd/ipseccmd_words.hpp"

#include <algorithm>
#include <cctype>

namespace winipsec::ipseccmd {

namespace {
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '$' || c == '#';
}
}  // namespace

Word Word::of_line(const ScriptLine& line) {
    Word w;
    w.text = line.text;
    w.line = &line;
    w.offsets.resize(line.text.size() + 1);
    for (std::size_t i = 0; i <= line.text.size(); ++i) w.offsets[i] = i;
    return w;
}

SourceLocation Word::at(std::size_t index) const {
    if (!line) return {};
    if (offsets.empty()) return line->at(0);
    return line->at(offsets[std::min(index, offsets.size() - 1)]);
}

Word Word::slice(std::size_t pos, std::size_t count) const {
    Word w;
    w.line = line;
    w.quoted = quoted;
    pos = std::min(pos, text.size());
    count = std::min(count, text.size() - pos);
    w.text = text.substr(pos, count);
    if (offsets.size() == text.size() + 1)
        w.offsets.assign(offsets.begin() + static_cast<std::ptrdiff_t>(pos),
                         offsets.begin() + static_cast<std::ptrdiff_t>(pos + count + 1));
    else
        w.offsets.assign(count + 1, 0);
    return w;
}

Word Word::trimmed() const {
    std::size_t b = 0, e = text.size();
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && is_blank(text[e - 1])) --e;
    return slice(b, e - b);
}

SplitArguments split_arguments(const Word& input) {
    SplitArguments out;
    const std::string& s = input.text;
    auto offset_of = [&](std::size_t i) { return i < input.offsets.size() ? input.offsets[i] : 0; };
    std::size_t i = 0;
    bool in_quotes = false;
    while (i < s.size()) {
        while (i < s.size() && is_blank(s[i])) ++i;
        if (i >= s.size()) break;
        // cmd.exe's operators end what the program sees (see the header).
        if (s[i] == '>' || s[i] == '<' || s[i] == '|' || s[i] == '&') return out;
        Word word;
        word.line = input.line;
        bool started = false;
        while (i < s.size()) {
            const char c = s[i];
            if (!in_quotes && is_blank(c)) break;
            if (!in_quotes && (c == '>' || c == '<' || c == '|' || c == '&')) {
                // `2>nul`: the handle number belongs to the redirection.
                const bool handle_number =
                    c == '>' && word.text.size() == 1 && (word.text[0] == '1' || word.text[0] == '2') && !word.quoted;
                if (started && !handle_number) {
                    word.offsets.push_back(offset_of(i));
                    out.words.push_back(std::move(word));
                }
                return out;
            }
            started = true;
            if (c == '\\') {
                std::size_t n = 0;
                while (i + n < s.size() && s[i + n] == '\\') ++n;
                if (i + n < s.size() && s[i + n] == '"') {
                    for (std::size_t k = 0; k < n / 2; ++k) {
                        word.text.push_back('\\');
                        word.offsets.push_back(offset_of(i + 2 * k));
                    }
                    if (n % 2 == 1) {
                        word.text.push_back('"');
                        word.offsets.push_back(offset_of(i + n));
                        i += n + 1;
                    } else {
                        i += n;  // the quote is handled as a toggle below
                    }
                    continue;
                }
                for (std::size_t k = 0; k < n; ++k) {
                    word.text.push_back('\\');
                    word.offsets.push_back(offset_of(i + k));
                }
                i += n;
                continue;
            }
            if (c == '"') {
                word.quoted = true;
                if (in_quotes && i + 1 < s.size() && s[i + 1] == '"') {
                    word.text.push_back('"');
                    word.offsets.push_back(offset_of(i));
                    i += 2;
                    continue;
                }
                in_quotes = !in_quotes;
                ++i;
                continue;
            }
            word.text.push_back(c);
            word.offsets.push_back(offset_of(i));
            ++i;
        }
        word.offsets.push_back(offset_of(i));
        out.words.push_back(std::move(word));
    }
    out.unterminated_quote = in_quotes;
    return out;
}

std::vector<Word> split_blanks(const Word& word) {
    std::vector<Word> out;
    std::size_t i = 0;
    while (i < word.text.size()) {
        while (i < word.text.size() && is_blank(word.text[i])) ++i;
        const std::size_t b = i;
        while (i < word.text.size() && !is_blank(word.text[i])) ++i;
        if (i > b) out.push_back(word.slice(b, i - b));
    }
    return out;
}

std::optional<std::size_t> find_unresolved_variable(std::string_view text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '%') continue;
        const char next = text[i + 1];
        // %%i (a for variable) or %1..%9, %* (call arguments), %~dp0 (modifiers)
        if (next == '%' && i + 2 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 2]))) return i;
        if (std::isdigit(static_cast<unsigned char>(next)) || next == '*' || next == '~') return i;
        // %NAME%
        std::size_t j = i + 1;
        while (j < text.size() && is_name_char(text[j])) ++j;
        if (j > i + 1 && j < text.size() && text[j] == '%') return i;
    }
    return std::nullopt;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string ascii_upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return ascii_lower(a) == ascii_lower(b);
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max) {
    if (!all_digits(text) || text.size() > 10) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > max) return std::nullopt;
    return static_cast<std::uint32_t>(value);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace winipsec::ipseccmd
