#include "export/netsh_quoting.hpp"

#include <algorithm>

namespace winipsec::netsh_script {
namespace {

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7F;
}

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

void note_change(std::vector<std::string>& changes, const char* change) {
    if (std::find(changes.begin(), changes.end(), change) == changes.end()) changes.emplace_back(change);
}

// `quote_change` empty: the quote's spelling is an escape netsh reads back as
// a quote, so nothing changes.
CarriedText carry(std::string_view text, std::string_view quote_as, const char* quote_change) {
    CarriedText out;
    out.text.reserve(text.size());
    for (const char c : text) {
        if (c == '"') {
            out.text += quote_as;
            if (*quote_change) note_change(out.changes, quote_change);
        } else if (c == '\r' || c == '\n') {
            out.text += ' ';
            note_change(out.changes, "line breaks became blanks");
        } else if (is_control(c)) {
            out.text += ' ';
            note_change(out.changes, "control characters became blanks");
        } else {
            out.text += c;
        }
    }
    return out;
}

}  // namespace

CarriedText carry_text(std::string_view text) {
    return carry(text, "'", "double quotes became apostrophes");
}

CarriedText carry_root_ca(std::string_view text) {
    CarriedText out = carry(text, "\\'", "");
    // Only a quote that was there before we wrote \' is ambiguous.
    if (text.find("\\'") != std::string_view::npos)
        note_change(out.changes, "the name already holds \\', which netsh reads as a double quote");
    return out;
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        out += c;
        if (c == '%') out += '%';
    }
    out += '"';
    return out;
}

std::string comment_text(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '%')
            out += "%%";
        else if (is_control(c) || c == '\t')
            out += '?';
        else
            out += c;
    }
    return out;
}

// The same shapes the netsh importer's check looks for after expansion.
std::string variable_lookalike(std::string_view s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != '%') continue;
        if (s[i + 1] == '%' && i + 2 < s.size() && is_name_char(s[i + 2])) return std::string(s.substr(i, 3));
        if ((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '*' || s[i + 1] == '~')
            return std::string(s.substr(i, 2));
        const auto close = s.find('%', i + 1);
        if (close != std::string_view::npos && close > i + 1) {
            const auto name = s.substr(i + 1, close - i - 1);
            if (std::none_of(name.begin(), name.end(), [](char c) { return c == ' ' || c == '\t'; }))
                return std::string(s.substr(i, close - i + 1));
        }
    }
    return {};
}

bool ends_in_backslash(std::string_view text) {
    return !text.empty() && text.back() == '\\';
}

bool has_non_ascii(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

}  // namespace winipsec::netsh_script
