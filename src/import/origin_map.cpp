#include "import/origin_map.hpp"

#include <algorithm>

namespace winipsec {
namespace {

bool is_lead(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

// Position of text[offset] inside a copied run: one column per lead byte
// after the run's first byte.
TextPosition within(const OriginRun& run, std::string_view text, std::size_t offset) {
    TextPosition p = run.where;
    if (!run.copied) return p;
    for (std::size_t i = run.begin + 1; i <= offset; ++i) p.column += is_lead(text[i]) ? 1 : 0;
    return p;
}

}  // namespace

TextPosition OriginMap::at(std::string_view text, std::size_t offset) const {
    if (offset >= text.size() || runs_.empty()) return end_;
    auto run = std::upper_bound(runs_.begin(), runs_.end(), offset,
                                [](std::size_t o, const OriginRun& r) { return o < r.begin; });
    if (run == runs_.begin()) return end_;  // text before the first run has no known origin
    return within(*std::prev(run), text, offset);
}

void OriginMap::add_run(std::size_t begin, TextPosition first, bool copied) {
    if (!runs_.empty() && runs_.back().begin == begin) runs_.pop_back();  // the previous run got no bytes
    runs_.push_back({begin, first, copied});
}

void OriginMap::append(const OriginMap& from, std::string_view from_text, std::size_t begin, std::size_t end,
                       std::size_t at) {
    if (begin >= end) return;
    auto run = std::upper_bound(from.runs_.begin(), from.runs_.end(), begin,
                                [](std::size_t o, const OriginRun& r) { return o < r.begin; });
    if (run != from.runs_.begin()) {
        const auto& first = *std::prev(run);
        add_run(at, within(first, from_text, begin), first.copied);
    } else {
        add_run(at, from.end_, false);  // only hand-made maps have bytes before their first run
    }
    for (; run != from.runs_.end() && run->begin < end; ++run) add_run(at + (run->begin - begin), run->where, run->copied);
    end_ = from.at(from_text, end);
}

}  // namespace winipsec
