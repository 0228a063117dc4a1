#include "plugins/registry/reg_file_parser.hpp"

#include <charconv>
#include <expected>
#include <optional>

#include <fmt/format.h>

#include "plugins/registry/reg_file_lexer.hpp"
#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"

// Value data as regedit writes it (spec windows-ipsec.md §7.5):
//   "text"            REG_SZ; `\\` and `\"` are the only escapes
//   dword:0000012c    REG_DWORD, up to eight hex digits
//   hex:01,02,...     REG_BINARY
//   hex(N):...        type N in hex: hex(2) REG_EXPAND_SZ, hex(7) REG_MULTI_SZ,
//                     hex(b) REG_QWORD, hex(0) REG_NONE; strings in UTF-16LE
//                     for version 5.00 files, single bytes for REGEDIT4
//   -                 deletes the value
namespace winipsec::registry {
namespace {

struct ParsedData {
    std::uint32_t type = value_type::string;
    std::vector<std::uint8_t> bytes;
    std::vector<TextPosition> byte_origin;
};

struct DataError {
    std::size_t offset;  // into the data text
    std::string message;
};

std::optional<unsigned> hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return std::nullopt;
}

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::expected<ParsedData, DataError> parse_string(const PlacedText& data) {
    const std::string& t = data.text;
    std::string value;
    std::size_t i = 1;
    for (; i < t.size() && t[i] != '"'; ++i) {
        if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == '\\' || t[i + 1] == '"')) ++i;
        value.push_back(t[i]);
    }
    if (i >= t.size()) return std::unexpected(DataError{0, "the string has no closing '\"'"});
    if (i + 1 != t.size())
        return std::unexpected(DataError{i + 1, fmt::format("text after the closing '\"': '{}'", t.substr(i + 1))});
    ParsedData out;
    out.type = value_type::string;
    out.bytes = utf8_to_utf16le(value);
    out.bytes.insert(out.bytes.end(), {0, 0});
    return out;
}

std::expected<ParsedData, DataError> parse_dword(const PlacedText& data, std::size_t begin) {
    const std::string& t = data.text;
    std::uint32_t value = 0;
    std::size_t digits = 0;
    for (std::size_t i = begin; i < t.size(); ++i, ++digits) {
        const auto d = hex_digit(t[i]);
        if (!d) return std::unexpected(DataError{i, fmt::format("'{}' is not a hex digit in a dword", t[i])});
        if (digits == 8) return std::unexpected(DataError{i, "a dword has at most eight hex digits"});
        value = (value << 4) | *d;
    }
    if (digits == 0) return std::unexpected(DataError{begin, "dword: has no digits"});
    ParsedData out;
    out.type = value_type::dword;
    for (int k = 0; k < 4; ++k) out.bytes.push_back(static_cast<std::uint8_t>(value >> (8 * k)));
    return out;
}

// `hex:` / `hex(N):` lists: one or two hex digits per byte, separated by
// commas; blanks and a trailing comma are allowed.
std::expected<ParsedData, DataError> parse_hex(const PlacedText& data, std::size_t begin, std::uint32_t type) {
    const std::string& t = data.text;
    ParsedData out;
    out.type = type;
    std::size_t i = begin;
    for (;;) {
        while (i < t.size() && is_blank(t[i])) ++i;
        if (i >= t.size()) break;
        const std::size_t start = i;
        unsigned byte = 0;
        while (i < t.size() && hex_digit(t[i]) && i - start < 2) byte = (byte << 4) | *hex_digit(t[i++]);
        if (i == start) return std::unexpected(DataError{i, fmt::format("'{}' where a hex byte was expected", t[i])});
        out.bytes.push_back(static_cast<std::uint8_t>(byte));
        out.byte_origin.push_back(data.at(start));
        while (i < t.size() && is_blank(t[i])) ++i;
        if (i >= t.size()) break;
        if (t[i] != ',')
            return std::unexpected(
                DataError{i, fmt::format("'{}' after a hex byte (bytes are separated by ',')", t[i])});
        ++i;
    }
    return out;
}

bool is_string_type(std::uint32_t type) {
    return type == value_type::string || type == value_type::expand_string || type == value_type::multi_string;
}

std::expected<ParsedData, DataError> parse_data(const PlacedText& data, int header_version) {
    const std::string& t = data.text;
    if (t.starts_with('"')) return parse_string(data);
    if (istarts_with(t, "dword:")) return parse_dword(data, 6);
    if (istarts_with(t, "hex:")) return parse_hex(data, 4, value_type::binary);
    if (istarts_with(t, "hex(")) {
        const auto close = t.find("):");
        std::uint32_t type = 0;
        const char* first = t.data() + 4;
        const char* last = close == std::string::npos ? first : t.data() + close;
        const auto [end, ec] = std::from_chars(first, last, type, 16);
        if (close == std::string::npos || ec != std::errc() || end != last || last == first || close > 12)
            return std::unexpected(DataError{4, "hex(N): needs a hex type number, e.g. hex(7):"});
        auto parsed = parse_hex(data, close + 2, type);
        // REGEDIT4 wrote strings in the machine's single-byte code page; the
        // tree holds them as Windows stores them (UTF-16LE).
        if (parsed && header_version == 4 && is_string_type(type)) {
            parsed->bytes = utf8_to_utf16le(latin1_to_utf8(parsed->bytes));
            parsed->byte_origin.clear();
        }
        return parsed;
    }
    return std::unexpected(DataError{0, fmt::format("'{}' is no value regedit knows (\"text\", dword:, hex:, hex(N):)",
                                                    t.size() > 40 ? t.substr(0, 37) + "..." : t)});
}

class RegFileReader {
public:
    RegFileReader(const DecodedText& text, RegistryTree& tree, Diagnostics& diagnostics)
        : text_(text), tree_(tree), diagnostics_(diagnostics) {}

    bool run() {
        const auto lines = read_reg_file_lines(text_.utf8);
        bool warned_before_header = false;
        std::size_t n = 0;
        for (; n < lines.size() && lines[n].kind != RegFileLine::Kind::Header; ++n) {
            const auto& line = lines[n];
            if (line.kind == RegFileLine::Kind::Comment) continue;
            if (line.kind == RegFileLine::Kind::Key || line.kind == RegFileLine::Kind::Value) break;
            if (!warned_before_header)
                diagnostics_.warning(code::text_before_header, at(line.where),
                                     "text before the 'Windows Registry Editor Version 5.00' / 'REGEDIT4' header "
                                     "line; regedit refuses such a file, winipsec skips the text");
            warned_before_header = true;
        }
        if (n == lines.size() || lines[n].kind != RegFileLine::Kind::Header) {
            SourceLocation where = n < lines.size() ? at(lines[n].where) : at({1, 1});
            diagnostics_.error(code::no_header, where,
                               "no 'Windows Registry Editor Version 5.00' or 'REGEDIT4' header line: regedit "
                               "would refuse this file, so nothing is imported");
            return false;
        }
        version_ = lines[n].header_version;
        for (++n; n < lines.size(); ++n) apply(lines[n]);
        return true;
    }

private:
    SourceLocation at(TextPosition p) const {
        SourceLocation loc;
        loc.file = text_.path;
        loc.line = p.line;
        loc.column = p.column;
        return loc;
    }

    void apply(const RegFileLine& line) {
        switch (line.kind) {
            case RegFileLine::Kind::Comment: return;
            case RegFileLine::Kind::Header:
            case RegFileLine::Kind::Other:
                diagnostics_.warning(
                    code::unreadable_line, at(line.where),
                    fmt::format("'{}' is neither a [key] nor a \"name\"=value line; regedit skips "
                                "it, and so does winipsec",
                                shorten(line.kind == RegFileLine::Kind::Header ? "header" : line.text)));
                return;
            case RegFileLine::Kind::Key: return apply_key(line);
            case RegFileLine::Kind::Value: return apply_value(line);
        }
    }

    static std::string shorten(std::string_view s) {
        if (s.size() <= 60) return std::string(s);
        std::size_t cut = 57;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        return std::string(s.substr(0, cut)) + "...";
    }

    void apply_key(const RegFileLine& line) {
        key_ = nullptr;
        const std::string path = normalise_key_path(line.key_path);
        if (line.unterminated || path.empty() || !has_predefined_root(path)) {
            diagnostics_.error(code::bad_key, at(line.where),
                               line.unterminated
                                   ? "the key line has no closing ']'; its values are skipped"
                                   : fmt::format("'{}' does not start with a registry root (HKEY_LOCAL_MACHINE, ...); "
                                                 "regedit skips this key and its values",
                                                 shorten(line.key_path)));
            return;
        }
        if (line.deleted) {
            tree_.remove_key(path);
            return;
        }
        key_ = &tree_.open(path, at(line.where));
        key_path_ = path;
    }

    void apply_value(const RegFileLine& line) {
        if (line.unterminated) {
            diagnostics_.error(code::value_syntax, at(line.where), "the value name has no closing '\"'; skipped");
            return;
        }
        if (!key_) {
            diagnostics_.error(code::value_outside_key, at(line.where),
                               fmt::format("value '{}' comes before any usable [key] line; skipped",
                                           line.name.empty() ? "@" : line.name));
            return;
        }
        if (line.deleted) {
            tree_.remove_value(key_path_, line.name);
            return;
        }
        auto parsed = parse_data(line.data, version_);
        if (!parsed) {
            diagnostics_.error(code::value_syntax, at(line.data.at(parsed.error().offset)),
                               fmt::format("value '{}': {}; the value is skipped", line.name.empty() ? "@" : line.name,
                                           parsed.error().message));
            return;
        }
        RegistryValue value;
        value.name = line.name;
        value.type = parsed->type;
        value.data = std::move(parsed->bytes);
        value.where = at(line.where);
        value.byte_origin = std::move(parsed->byte_origin);
        tree_.set(*key_, std::move(value));
    }

    const DecodedText& text_;
    RegistryTree& tree_;
    Diagnostics& diagnostics_;
    int version_ = 5;
    RegistryKey* key_ = nullptr;
    std::string key_path_;
};

}  // namespace

bool read_reg_file(const DecodedText& text, RegistryTree& tree, Diagnostics& diagnostics) {
    return RegFileReader(text, tree, diagnostics).run();
}

bool has_reg_file_header(std::string_view utf8) {
    const auto lines = read_reg_file_lines(utf8.substr(0, std::min<std::size_t>(utf8.size(), 4096)));
    int others = 0;
    for (const auto& line : lines) {
        if (line.kind == RegFileLine::Kind::Header) return true;
        if (line.kind == RegFileLine::Kind::Comment) continue;
        if (line.kind != RegFileLine::Kind::Other || ++others > 5) return false;
    }
    return false;
}

}  // namespace winipsec::registry
