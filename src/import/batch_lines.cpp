#include "import/batch_lines.hpp"

#include <algorithm>
#include <utility>

namespace winipsec::batch {

void MappedText::push(char c, TextPosition where, TextPosition after) {
    text.push_back(c);
    origin.add_run(text.size() - 1, where, OriginRun::Kind::Value);
    origin.set_end(after);
}

void MappedText::append(const MappedText& from, std::size_t begin, std::size_t end) {
    if (end > from.size()) end = from.size();
    if (begin >= end) return;
    const auto at = text.size();
    text.append(from.text, begin, end - begin);
    origin.append(from.origin, from.text, begin, end, at);
}

void MappedText::append_copied(std::string_view bytes, TextPosition first, TextPosition after, OriginRun::Kind kind) {
    if (!bytes.empty()) {
        origin.add_run(text.size(), first, kind);
        text.append(bytes);
    }
    origin.set_end(after);
}

void MappedText::append_value(std::string_view value, TextPosition where, TextPosition after) {
    if (!value.empty()) {
        origin.add_run(text.size(), where, OriginRun::Kind::Value);
        text.append(value);
    }
    origin.set_end(after);
}

MappedText MappedText::slice(std::size_t begin, std::size_t end) const {
    if (end > size()) end = size();
    if (begin > end) begin = end;
    MappedText out;
    out.set_end(at(begin));
    out.append(*this, begin, end);
    return out;
}

MappedText MappedText::trimmed() const& {
    std::size_t b = 0, e = size();
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && is_blank(text[e - 1])) --e;
    return slice(b, e);
}

MappedText MappedText::trimmed() && {
    if (empty() || (!is_blank(text.front()) && !is_blank(text.back()))) return std::move(*this);
    return std::as_const(*this).trimmed();
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
    // One pass for both questions (a branch-free loop the compiler vectorises).
    unsigned high = 0;
    std::size_t continuation = 0;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        high |= u;
        continuation += (u & 0xC0) == 0x80 ? 1 : 0;
    }
    const int columns = static_cast<int>(bytes.size() - continuation);
    const bool lead_first = !bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0xC0) != 0x80;
    MappedText out;
    out.append_copied(bytes, {line, lead_first ? 1 : 0}, {line, columns + 1},
                      (high & 0x80) ? OriginRun::Kind::Copied : OriginRun::Kind::Ascii);
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
MappedText without_liquid_tags(MappedText line) {
    if (line.text.find("{%") == std::string::npos) return line;
    MappedText out;
    out.set_end(line.at(0));
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto open = line.text.find("{%", pos);
        const auto close = open == std::string::npos ? std::string::npos : line.text.find("%}", open + 2);
        if (close == std::string::npos) break;
        out.append(line, pos, open);
        pos = close + 2;
    }
    out.append(line, pos, line.size());
    out.set_end(line.end());
    return out;
}

}  // namespace

std::vector<MappedText> read_logical_lines(std::string_view utf8) {
    std::vector<MappedText> logical;
    MappedText line;         // the logical line being read
    bool joining = false;    // `line` ends in a continuation caret at `caret`
    std::size_t caret = 0;
    const auto finish = [&] {
        logical.push_back(without_liquid_tags(std::move(line)));
        line = MappedText();
        joining = false;
    };
    std::size_t pos = 0;
    int number = 0;
    while (pos <= utf8.size()) {
        auto nl = utf8.find('\n', pos);
        const bool last = nl == std::string_view::npos;
        if (last) nl = utf8.size();
        auto bytes = utf8.substr(pos, nl - pos);
        if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);  // decoder folds CRLF; be safe
        MappedText physical = physical_line(bytes, ++number);
        if (joining) {
            // The next line is appended as is: its leading TAB or blanks
            // become the separator (`netsh ipsec static ^` + TAB `add ...`, #10).
            MappedText joined = line.slice(0, caret);
            joined.append(physical, 0, physical.size());
            joined.set_end(physical.end());
            line = std::move(joined);
        } else {
            line = std::move(physical);
        }
        caret = continuation_caret(line);
        joining = caret != std::string::npos;
        if (!joining) finish();
        if (last) break;
        pos = nl + 1;
    }
    if (joining) {  // a caret on the last line joins nothing; the line may end in another then
        for (; caret != std::string::npos; caret = continuation_caret(line)) line = line.slice(0, caret);
        finish();
    }
    return logical;
}

}  // namespace winipsec::batch
