#include "plugins/netsh/netsh_spelling.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace winipsec::netsh {
namespace {

// Close enough to suggest: at most a third of the longer word edited (at least
// 1, at most 3), or one word is a prefix of the other (`Perm` for `Permit`).
bool plausible(std::string_view written, std::string_view candidate, std::size_t distance) {
    const std::size_t longest = std::max(written.size(), candidate.size());
    const std::size_t allowed = std::clamp<std::size_t>(longest / 3, 1, 3);
    if (distance <= allowed) return true;
    const std::size_t shorter = std::min(written.size(), candidate.size());
    return shorter >= 3 && (istarts_with(candidate, written) || istarts_with(written, candidate));
}

template <class Strings>
std::optional<std::string> closest_in(std::string_view written, const Strings& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(written, c);
        if (!plausible(written, c, d)) continue;
        if (!best || d < best_distance) {
            best = std::string(c);
            best_distance = d;
        }
    }
    return best;
}

}  // namespace

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = fold(c);
    return out;
}

WordMatch match_word(std::span<const std::string_view> words, std::string_view written) {
    WordMatch m;
    if (written.empty()) return m;
    for (std::size_t i = 0; i < words.size(); ++i)
        if (iequals(words[i], written)) {
            m.how = WordMatch::How::Exact;
            m.index = i;
            return m;
        }
    for (std::size_t i = 0; i < words.size(); ++i)
        if (istarts_with(words[i], written)) m.candidates.push_back(i);
    if (m.candidates.empty()) return m;
    m.index = m.candidates.front();
    m.how = m.candidates.size() == 1 ? WordMatch::How::Prefix : WordMatch::How::Ambiguous;
    return m;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance; the words compared are short.
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

std::optional<std::string> closest(std::string_view written, std::span<const std::string> candidates) {
    return closest_in(written, candidates);
}

std::optional<std::string> closest(std::string_view written, std::span<const std::string_view> candidates) {
    return closest_in(written, candidates);
}

std::string did_you_mean(const std::optional<std::string>& suggestion) {
    return suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : std::string();
}

}  // namespace winipsec::netsh
