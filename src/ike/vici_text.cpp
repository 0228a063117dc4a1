#include "ike/vici_text.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "model/secret.hpp"

namespace winipsec::ike {
namespace {

bool is_word_byte(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '%' || c == '@' ||
           c == '+' || c == '*';
}

std::string quote_value(std::string_view bytes) {
    bool printable = true;
    bool word = !bytes.empty();
    for (unsigned char c : bytes) {
        if (c < 0x20 || c > 0x7e) printable = false;
        if (!is_word_byte(c)) word = false;
    }
    if (word) return std::string(bytes);
    if (!printable) {
        std::string hex = "0x";
        for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
        return hex;
    }
    std::string quoted = "\"";
    for (char c : bytes) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

std::string shown_value(const ViciEntry& entry, std::string_view bytes, ViciRedaction redaction) {
    if (redaction == ViciRedaction::Secrets && is_secret_key(entry.name)) return Secret::redacted;
    return quote_value(bytes);
}

std::string list_text(const ViciEntry& entry, ViciRedaction redaction) {
    std::string text = "[";
    for (std::size_t i = 0; i < entry.items.size(); ++i) {
        if (i) text += ", ";
        text += shown_value(entry, entry.items[i], redaction);
    }
    return text + "]";
}

void append_inline(std::string& out, const ViciSection& section, ViciRedaction redaction) {
    out += "{";
    for (const auto& entry : section.entries()) {
        out += ' ';
        out += quote_value(entry.name);
        switch (entry.kind) {
            case ViciEntry::Kind::Value: out += " = " + shown_value(entry, entry.value, redaction); break;
            case ViciEntry::Kind::List: out += " = " + list_text(entry, redaction); break;
            case ViciEntry::Kind::Section:
                out += ' ';
                append_inline(out, entry.section, redaction);
                break;
        }
    }
    out += section.empty() ? "}" : " }";
}

void append_block(std::string& out, const ViciSection& section, ViciRedaction redaction, std::size_t depth) {
    std::string indent(depth * 4, ' ');
    for (const auto& entry : section.entries()) {
        out += indent + quote_value(entry.name);
        switch (entry.kind) {
            case ViciEntry::Kind::Value: out += " = " + shown_value(entry, entry.value, redaction) + "\n"; break;
            case ViciEntry::Kind::List: out += " = " + list_text(entry, redaction) + "\n"; break;
            case ViciEntry::Kind::Section:
                out += " {\n";
                append_block(out, entry.section, redaction, depth + 1);
                out += indent + "}\n";
                break;
        }
    }
}

}  // namespace

bool is_secret_key(std::string_view name) {
    static constexpr std::array<std::string_view, 6> secret_names = {"data",     "secret",     "psk",
                                                                     "password", "passphrase", "pin"};
    std::string lower;
    for (unsigned char c : name) lower += static_cast<char>(std::tolower(c));
    for (auto secret : secret_names)
        if (lower == secret) return true;
    return false;
}

std::string format_vici_inline(const ViciMessage& message, ViciRedaction redaction) {
    std::string out;
    append_inline(out, message, redaction);
    return out;
}

std::string format_vici_block(const ViciMessage& message, ViciRedaction redaction) {
    std::string out;
    append_block(out, message, redaction, 0);
    return out;
}

}  // namespace winipsec::ike
