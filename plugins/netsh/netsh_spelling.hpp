#pragma once
// Word matching as netsh does it (exact, then unique prefix, case-insensitive)
// and "did you mean" suggestions for words that match nothing.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::netsh {

// netsh's words are ASCII; folding only A-Z avoids libc's locale-aware
// tolower, which was the largest single cost of importing big scripts.
inline char fold(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
// (inline: command, tag and value words are compared for every line)
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (fold(a[i]) != fold(b[i])) return false;
    return true;
}
inline bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}
std::string lower(std::string_view s);

struct WordMatch {
    enum class How { Exact, Prefix, Ambiguous, None };
    How how = How::None;
    std::size_t index = 0;                // the chosen word (Exact, Prefix, Ambiguous: the first candidate)
    std::vector<std::size_t> candidates;  // Prefix, Ambiguous: every word `written` is a prefix of
};

// Exact match first; otherwise every word that `written` is a prefix of.
WordMatch match_word(std::span<const std::string_view> words, std::string_view written);

// Case-insensitive edit distance (insert, delete, substitute, swap of neighbours).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` to `written` when it is close enough to be a
// plausible typo (a couple of edits, or one is a prefix of the other).
std::optional<std::string> closest(std::string_view written, std::span<const std::string> candidates);
std::optional<std::string> closest(std::string_view written, std::span<const std::string_view> candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::optional<std::string>& suggestion);

}  // namespace winipsec::netsh
