#include "plugins/netsh/netsh_line_edits.hpp"

#include <array>

#include "import/netsh_lexer.hpp"

namespace winipsec::netsh {
namespace {

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_folded(std::string_view text, std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (lower(text[i]) != word[i]) return false;
    return true;
}

// `lowered` must be lower case.
bool contains_folded(std::string_view text, std::string_view lowered) {
    if (lowered.empty() || text.size() < lowered.size()) return lowered.empty();
    const std::size_t last = text.size() - lowered.size();
    for (std::size_t i = 0; i <= last; ++i) {
        if (lower(text[i]) != lowered[0]) continue;
        std::size_t k = 1;
        while (k < lowered.size() && lower(text[i + k]) == lowered[k]) ++k;
        if (k == lowered.size()) return true;
    }
    return false;
}

}  // namespace

bool filter_line_stands_alone(std::string_view line) {
    for (const char c : line)
        switch (c) {
            case '%': case '!': case '^': case '&': case '|': case '<': case '>': case '(': case ')':
            case '\r': case '\n': case '\0': return false;
            default: break;
        }
    const auto words = first_words(line, 0, line.size(), 5);
    if (words.size() < 5 || !is_netsh_executable(words[0].text)) return false;
    constexpr std::array<std::string_view, 4> expected{"ipsec", "static", "add", "filter"};
    for (std::size_t i = 0; i < expected.size(); ++i)
        if (!equals_folded(words[i + 1].text, expected[i])) return false;
    // A second command glued on (corpus #12) would add more than one filter.
    return !contains_folded(line.substr(words[4].end), "netsh");
}

bool script_only_adds(std::string_view text) {
    return !contains_folded(text, "delete") && !contains_folded(text, "importpolicy") &&
           !contains_folded(text, "set store");
}

}  // namespace winipsec::netsh
