#pragma once
// Word matching as netsh does it (exact, then unique prefix, case-insensitive)
// and "did you mean" suggestions for words that match nothing.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::netsh {

bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
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
