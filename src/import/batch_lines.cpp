#include "import/batch_lines.hpp"

namespace winipsec::batch {

void MappedText::push(char c, TextPosition where, TextPosition after) {
    text.push_back(c);
    origin.back() = where;
    origin.push_back(after);
}

void MappedText::append(const MappedText& from, std::size_t begin, std::size_t end) {
    if (end > from.size()) end = from.size();
    if (begin >= end) return;
    text.append(from.text, begin, end - begin);
    origin.pop_back();
    origin.insert(origin.end(), from.origin.begin() + static_cast<std::ptrdiff_t>(begin),
                  from.origin.begin() + static_cast<std::ptrdiff_t>(end) + 1);
}

void MappedText::append_value(std::string_view value, TextPosition where, TextPosition after) {
    for (char c : value) push(c, where, after);
    origin.back() = after;
}

MappedText MappedText::slice(std::size_t begin, std::size_t end) const {
    if (end > size()) end = size();
    if (begin > end) begin = end;
    MappedText out;
    out.origin.back() = origin[begin];
    out.append(*this, begin, end);
    return out;
}

MappedText MappedText::trimmed() const {
    std::size_t b = 0, e = size();
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && is_blank(text[e - 1])) --e;
    return slice(b, e);
}

MappedText MappedText::trimmed_right() const {
    std::size_t e = size();
    while (e > 0 && is_blank(text[e - 1])) --e;
    return slice(0, e);
}

namespace {

// Columns count code points: a UTF-8 continuation byte belongs to the column
// of its lead byte (invalid sequences still advance sanely).
MappedText physical_line(std::string_view bytes, int line) {
    MappedText out;
    int column = 0;
    out.origin.back() = {line, 1};
    for (char c : bytes) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
        out.push(c, {line, column}, {line, column + 1});
    }
    return out;
}

// cmd.exe joins the next line when a line ends in an unescaped caret outside
// double quotes (`^^` is a literal caret; inside quotes `^` is literal). The
// real cmd does not allow blanks after the caret; scripts copied from web
// pages often have them, so they are tolerated. Returns the caret's offset.
std::size_t continuation_caret(const MappedText& line) {
    std::size_t end = line.size();
    while (end > 0 && is_blank(line[end - 1])) --end;
    std::size_t carets = 0;
    while (carets < end && line[end - 1 - carets] == '^') ++carets;
    if (carets % 2 == 0) return std::string::npos;
    std::size_t quotes = 0;
    for (std::size_t i = 0; i + carets < end; ++i) quotes += line[i] == '"' ? 1 : 0;
    if (quotes % 2 == 1) return std::string::npos;
    return end - 1;
}

// Jekyll/Liquid tags (`{% highlight powershell %}`, `{% endhighlight %}`) are
// blog wrapping glued to the commands (#90). They go before anything else
// reads the line: their `%` must not look like a variable reference.
MappedText without_liquid_tags(const MappedText& line) {
    if (line.text.find("{%") == std::string::npos) return line;
    MappedText out;
    out.origin.back() = line.at(0);
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto open = line.text.find("{%", pos);
        const auto close = open == std::string::npos ? std::string::npos : line.text.find("%}", open + 2);
        if (close == std::string::npos) break;
        out.append(line, pos, open);
        pos = close + 2;
    }
    out.append(line, pos, line.size());
    out.origin.back() = line.end();
    return out;
}

}  // namespace

std::vector<MappedText> read_logical_lines(std::string_view utf8) {
    std::vector<MappedText> physical;
    std::size_t pos = 0;
    int number = 0;
    while (pos <= utf8.size()) {
        auto nl = utf8.find('\n', pos);
        const bool last = nl == std::string_view::npos;
        if (last) nl = utf8.size();
        auto bytes = utf8.substr(pos, nl - pos);
        if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);  // decoder folds CRLF; be safe
        physical.push_back(physical_line(bytes, ++number));
        if (last) break;
        pos = nl + 1;
    }

    std::vector<MappedText> logical;
    for (std::size_t i = 0; i < physical.size();) {
        MappedText line = std::move(physical[i++]);
        for (auto caret = continuation_caret(line); caret != std::string::npos; caret = continuation_caret(line)) {
            MappedText joined = line.slice(0, caret);
            if (i < physical.size()) {
                // The next line is appended as is: its leading TAB or blanks
                // become the separator (`netsh ipsec static ^` + TAB `add ...`, #10).
                joined.append(physical[i], 0, physical[i].size());
                joined.origin.back() = physical[i].end();
                ++i;
            }
            line = std::move(joined);
        }
        logical.push_back(without_liquid_tags(line));
    }
    return logical;
}

}  // namespace winipsec::batch
