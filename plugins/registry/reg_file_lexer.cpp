#include "plugins/registry/reg_file_lexer.hpp"

#include <algorithm>

#include "plugins/registry/registry_text.hpp"

// Regedit's export layout (spec windows-ipsec.md §7.5): a header line, then
// blocks of `[key]` followed by `"name"=data` lines. Long `hex:` data is
// wrapped at about 80 columns: the line ends with `\` and the next one, indented
// by two blanks, carries on. Lines starting with `;` are comments.
namespace winipsec::registry {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// A physical line with the column (in code points) of each byte.
struct PhysicalLine {
    std::string_view text;
    int number = 0;
    std::vector<int> columns;  // columns.size() == text.size() + 1
};

std::vector<PhysicalLine> split_lines(std::string_view utf8) {
    std::vector<PhysicalLine> lines;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= utf8.size()) {
        const auto nl = utf8.find('\n', pos);
        PhysicalLine line;
        line.text = utf8.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        line.number = ++number;
        int column = 1;
        line.columns.reserve(line.text.size() + 1);
        // the bytes of one UTF-8 character share its column
        for (const char c : line.text)
            line.columns.push_back((static_cast<unsigned char>(c) & 0xC0) == 0x80 ? column - 1 : column++);
        line.columns.push_back(column);
        lines.push_back(std::move(line));
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return lines;
}

std::size_t first_non_blank(std::string_view text, std::size_t from = 0) {
    while (from < text.size() && is_blank(text[from])) ++from;
    return from;
}

std::size_t end_without_blanks(std::string_view text) {
    std::size_t end = text.size();
    while (end > 0 && is_blank(text[end - 1])) --end;
    return end;
}

void append(PlacedText& out, const PhysicalLine& line, std::size_t begin, std::size_t end) {
    if (!out.origin.empty()) out.origin.pop_back();
    for (std::size_t i = begin; i < end; ++i) {
        out.text.push_back(line.text[i]);
        out.origin.push_back({line.number, line.columns[i]});
    }
    out.origin.push_back({line.number, line.columns[end]});
}

bool is_header(std::string_view text, int& version) {
    if (iequals(text, "Windows Registry Editor Version 5.00")) {
        version = 5;
        return true;
    }
    if (iequals(text, "REGEDIT4")) {
        version = 4;
        return true;
    }
    return false;
}

// `"name"` at `pos` (the opening quote): the unescaped name, and the index
// just past the closing quote, or npos when the quote is never closed.
std::size_t read_quoted_name(std::string_view text, std::size_t pos, std::string& name) {
    for (std::size_t i = pos + 1; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == '"')) {
            name.push_back(text[++i]);
        } else if (text[i] == '"') {
            return i + 1;
        } else {
            name.push_back(text[i]);
        }
    }
    return std::string_view::npos;
}

}  // namespace

std::vector<RegFileLine> read_reg_file_lines(std::string_view utf8) {
    const auto lines = split_lines(utf8);
    std::vector<RegFileLine> out;
    for (std::size_t n = 0; n < lines.size(); ++n) {
        const PhysicalLine& line = lines[n];
        const std::string_view text = line.text;
        const std::size_t begin = first_non_blank(text);
        const std::size_t end = end_without_blanks(text);
        if (begin >= end) continue;
        RegFileLine entry;
        entry.where = {line.number, line.columns[begin]};
        const std::string_view body = text.substr(begin, end - begin);

        if (is_header(body, entry.header_version)) {
            entry.kind = RegFileLine::Kind::Header;
        } else if (body.front() == ';') {
            entry.kind = RegFileLine::Kind::Comment;
        } else if (body.front() == '[') {
            entry.kind = RegFileLine::Kind::Key;
            const auto close = body.rfind(']');
            entry.unterminated = close == std::string_view::npos;
            std::string_view path = body.substr(1, entry.unterminated ? std::string_view::npos : close - 1);
            entry.deleted = path.starts_with('-');
            if (entry.deleted) path.remove_prefix(1);
            entry.key_path = std::string(path);
        } else if (body.front() == '"' || body.front() == '@') {
            entry.kind = RegFileLine::Kind::Value;
            std::size_t after_name = begin + 1;
            if (body.front() == '"') {
                after_name = read_quoted_name(text, begin, entry.name);
                if (after_name == std::string_view::npos) {
                    entry.unterminated = true;
                    out.push_back(std::move(entry));
                    continue;
                }
            }
            std::size_t eq = first_non_blank(text, after_name);
            if (eq >= end || text[eq] != '=') {
                entry.kind = RegFileLine::Kind::Other;
                entry.text = std::string(body);
                out.push_back(std::move(entry));
                continue;
            }
            const std::size_t data_begin = first_non_blank(text, eq + 1);
            append(entry.data, line, data_begin, std::max(data_begin, end));
            entry.deleted = entry.data.text == "-";
            // A `\` at the end of a hex list continues it on the next line
            // (never inside a quoted string, whose line ends with `"`).
            while (!entry.data.text.starts_with('"') && entry.data.text.ends_with('\\') && n + 1 < lines.size()) {
                entry.data.text.pop_back();
                entry.data.origin.pop_back();
                const PhysicalLine& next = lines[++n];
                const std::size_t b = first_non_blank(next.text);
                append(entry.data, next, b, std::max(b, end_without_blanks(next.text)));
            }
        } else {
            entry.text = std::string(body);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace winipsec::registry
