#include "import/origin_map.hpp"

#include <algorithm>

namespace winipsec {
namespace {

bool is_lead(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}

// Position of text[offset] inside `run`.
TextPosition within(const OriginRun& run, std::string_view text, std::size_t offset) {
    TextPosition p = run.where;
    switch (run.kind) {
        case OriginRun::Kind::Ascii: p.column += static_cast<int>(offset - run.begin); break;
        case OriginRun::Kind::Copied:
            for (std::size_t i = run.begin + 1; i <= offset; ++i) p.column += is_lead(text[i]) ? 1 : 0;
            break;
        case OriginRun::Kind::Value: break;
    }
    return p;
}

}  // namespace

std::size_t OriginMap::run_at(std::size_t offset) const {
    if (count_ == 0 || offset < first_.begin) return count_;
    if (more_.empty() || offset < more_.front().begin) return 0;
    const auto it = std::upper_bound(more_.begin(), more_.end(), offset,
                                     [](std::size_t o, const OriginRun& r) { return o < r.begin; });
    return static_cast<std::size_t>(it - more_.begin());  // the run before `it`, counting first_
}

TextPosition OriginMap::at(std::string_view text, std::size_t offset) const {
    if (offset >= text.size()) return end_;
    const auto i = run_at(offset);
    if (i == count_) return end_;  // text before the first run has no known origin
    return within(run(i), text, offset);
}

void OriginMap::add_run(std::size_t begin, TextPosition first, OriginRun::Kind kind) {
    if (count_ > 0 && run(count_ - 1).begin == begin) {  // the previous run got no bytes
        run(count_ - 1) = {begin, first, kind};
        return;
    }
    if (count_ == 0)
        first_ = {begin, first, kind};
    else
        more_.push_back({begin, first, kind});
    ++count_;
}

void OriginMap::append(const OriginMap& from, std::string_view from_text, std::size_t begin, std::size_t end,
                       std::size_t at) {
    if (begin >= end) return;
    auto i = from.run_at(begin);
    if (i == from.count_) {
        add_run(at, from.end_, OriginRun::Kind::Value);  // only hand-made maps have bytes before their first run
        i = 0;
    } else {
        add_run(at, within(from.run(i), from_text, begin), from.run(i).kind);
        ++i;
    }
    for (; i < from.count_ && from.run(i).begin < end; ++i)
        if (from.run(i).begin > begin) add_run(at + (from.run(i).begin - begin), from.run(i).where, from.run(i).kind);
    end_ = from.at(from_text, end);
}

}  // namespace winipsec
