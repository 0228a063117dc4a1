#include "import/filter_line_edits.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace winipsec {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

struct LineFilter {
    std::string list;
    Filter filter;
    Diagnostics diagnostics;
};

// `line` read alone as line `number` of `path`.
std::expected<LineFilter, std::string> read_line(const Importer& importer, const DecodedText& source,
                                                 std::string_view line, int number) {
    DecodedText alone;
    alone.path = source.path;
    alone.encoding = source.encoding;
    alone.utf8.reserve(line.size() + 1);
    alone.utf8.append(line).push_back('\n');
    PolicyStore store;
    Diagnostics found;
    // No --define reaches the line: a line that stands alone expands nothing.
    importer.import(alone, ImportOptions{}, store, found);
    if (found.has_errors())
        return std::unexpected(fmt::format("line {} has errors", number));
    if (!store.policies.empty() || !store.filter_actions.empty() || store.no_default_exempt ||
        store.filter_lists.size() != 1 || store.filter_lists.front().filters.size() != 1)
        return std::unexpected(fmt::format("line {} does not add exactly one filter", number));
    LineFilter out;
    out.list = store.filter_lists.front().name;
    out.filter = std::move(store.filter_lists.front().filters.front());
    out.filter.where.line = number;
    for (const auto& d : found.all()) {
        SourceLocation where = d.where;
        if (where.line > 0) where.line = number;
        out.diagnostics.add(d.severity, d.code, where, d.message);
    }
    return out;
}

}  // namespace

std::expected<std::vector<FilterLineEdit>, std::string> filter_line_edits(const Importer& importer,
                                                                          const DecodedText& before,
                                                                          const DecodedText& after,
                                                                          bool before_only_adds,
                                                                          std::size_t max_edits) {
    if (!before_only_adds) return std::unexpected("the text removes or changes what it added");
    const std::string_view a = before.utf8, b = after.utf8;
    // The changed stretch, widened to whole lines.
    const std::size_t limit = std::min(a.size(), b.size());
    std::size_t head = static_cast<std::size_t>(std::mismatch(a.begin(), a.begin() + limit, b.begin()).first - a.begin());
    if (head == limit && a.size() == b.size()) return std::vector<FilterLineEdit>{};
    // The common tail, a block at a time (memcmp) and then byte by byte: the
    // texts are megabytes and reloads are timed in milliseconds.
    std::size_t tail = 0;
    constexpr std::size_t block = 4096;
    while (tail + block <= limit - head &&
           std::memcmp(a.data() + a.size() - tail - block, b.data() + b.size() - tail - block, block) == 0)
        tail += block;
    while (tail < limit - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
    while (head > 0 && a[head - 1] != '\n') --head;
    while (tail > 0 && a[a.size() - tail] != '\n') --tail;
    if (tail > 0) --tail;  // keep the changed stretch's last line end out of the common tail
    const std::string_view old_part = a.substr(head, a.size() - tail - head);
    const std::string_view new_part = b.substr(head, b.size() - tail - head);
    const auto old_lines = split_lines(old_part);
    const auto new_lines = split_lines(new_part);
    if (old_lines.size() != new_lines.size()) return std::unexpected("lines were added or removed");
    if (old_lines.size() > max_edits)
        return std::unexpected(fmt::format("{} lines changed (the quick reload takes at most {})", old_lines.size(),
                                           max_edits));
    int first = 1;  // the changed stretch's line number: line ends before it, plus one
    const char* const stretch = a.data() + head;
    for (const char* p = a.data(); p < stretch; ++p) {
        p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(stretch - p)));
        if (!p) break;
        ++first;
    }

    std::vector<FilterLineEdit> edits;
    for (std::size_t i = 0; i < old_lines.size(); ++i) {
        if (old_lines[i] == new_lines[i]) continue;
        const int number = first + static_cast<int>(i);
        if (!importer.line_stands_alone(old_lines[i]) || !importer.line_stands_alone(new_lines[i]))
            return std::unexpected(fmt::format("line {} does not stand alone", number));
        auto old_filter = read_line(importer, before, old_lines[i], number);
        if (!old_filter) return std::unexpected(old_filter.error());
        auto new_filter = read_line(importer, after, new_lines[i], number);
        if (!new_filter) return std::unexpected(new_filter.error());
        if (!importer.only_adds(DecodedText{after.path, std::string(new_lines[i]), after.encoding, {}},
                                new_filter->diagnostics))
            return std::unexpected(fmt::format("line {} removes or changes something", number));
        if (!names_equal(old_filter->list, new_filter->list))
            return std::unexpected(fmt::format("line {} now adds to another filter list", number));
        edits.push_back(FilterLineEdit{number, std::move(old_filter->list), std::move(old_filter->filter),
                                       std::move(new_filter->filter), std::move(new_filter->diagnostics)});
    }
    return edits;
}

}  // namespace winipsec
