#include "plugins/netdiag/listing_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace winipsec::listing {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

char fold(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// The end of `label` matched at text[i], or npos.
std::size_t match_label(std::string_view text, std::size_t i, std::string_view label) {
    std::size_t k = 0;
    while (k < label.size()) {
        if (label[k] == ' ') {
            if (i >= text.size() || !is_blank(text[i])) return std::string_view::npos;
            while (i < text.size() && is_blank(text[i])) ++i;
            ++k;
            continue;
        }
        if (i >= text.size() || fold(text[i]) != fold(label[k])) return std::string_view::npos;
        ++i;
        ++k;
    }
    // Then blanks and dot leaders, then the colon.
    while (i < text.size() && (is_blank(text[i]) || text[i] == '.')) ++i;
    if (i >= text.size() || text[i] != ':') return std::string_view::npos;
    return i + 1;
}

}  // namespace

SourceLocation ListingLine::at(std::size_t offset) const {
    offset = std::min(offset, text.size());
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    return SourceLocation{file, number, column};
}

SourceLocation ListingLine::start() const {
    std::size_t i = 0;
    while (i < text.size() && is_blank(text[i])) ++i;
    return at(i);
}

bool ListingLine::blank() const {
    return std::all_of(text.begin(), text.end(), [](char c) { return is_blank(c); });
}

std::vector<ListingLine> split_lines(std::string_view utf8, const std::shared_ptr<const std::string>& file) {
    std::vector<ListingLine> lines;
    int number = 1;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const auto nl = utf8.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? utf8.size() : nl;
        lines.push_back({utf8.substr(pos, end - pos), number++, file});
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return lines;
}

ScannedLine scan_fields(const ListingLine& line, std::span<const std::string_view> labels) {
    struct Hit {
        std::size_t begin, value_begin;
        std::string_view label;
    };
    std::vector<Hit> hits;
    const std::string_view text = line.text;
    for (std::size_t i = 0; i < text.size();) {
        const bool word_start = i == 0 || is_blank(text[i - 1]);
        std::optional<Hit> best;
        if (word_start && !is_blank(text[i]))
            for (const auto label : labels) {
                const auto end = match_label(text, i, label);
                if (end != std::string_view::npos && (!best || label.size() > best->label.size()))
                    best = Hit{i, end, label};
            }
        if (best) {
            hits.push_back(*best);
            i = best->value_begin;
        } else {
            ++i;
        }
    }
    ScannedLine out;
    const std::size_t lead_end = hits.empty() ? text.size() : hits.front().begin;
    const std::string_view lead = text.substr(0, lead_end);
    const auto lead_begin = std::min(lead.find_first_not_of(" \t\r\v\f"), lead.size());
    out.leading = std::string(trim(lead));
    out.leading_at = line.at(lead_begin);
    for (std::size_t h = 0; h < hits.size(); ++h) {
        const std::size_t value_end = h + 1 < hits.size() ? hits[h + 1].begin : text.size();
        std::size_t vb = hits[h].value_begin;
        while (vb < value_end && is_blank(text[vb])) ++vb;
        Field f;
        f.label = hits[h].label;
        f.value = std::string(trim(text.substr(vb, value_end - vb)));
        f.at = line.at(hits[h].begin);
        f.value_at = line.at(vb);
        out.fields.push_back(std::move(f));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return fold(x) == fold(y); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = fold(c);
    return out;
}

std::optional<unsigned long> parse_number(std::string_view s, unsigned long max) {
    unsigned long v = 0;
    if (s.empty() || s.size() > 10) return std::nullopt;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > max) return std::nullopt;
    return v;
}

}  // namespace winipsec::listing
