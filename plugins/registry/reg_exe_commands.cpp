#include "plugins/registry/reg_exe_commands.hpp"

#include <charconv>
#include <expected>
#include <optional>

#include <fmt/format.h>

#include "import/batch_script.hpp"
#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"

// reg.exe's syntax (`reg add /?`, `reg delete /?`):
//   reg add KEY [/v NAME | /ve] [/t TYPE] [/s SEPARATOR] [/d DATA] [/f] [/reg:32|/reg:64]
//   reg delete KEY [/v NAME | /ve | /va] [/f]
// Arguments split as every Windows program splits its command line: blanks
// outside double quotes separate, quotes are removed, and backslashes are
// literal except before a quote. /d data by type: REG_SZ and REG_EXPAND_SZ as
// given; REG_MULTI_SZ split at the two characters `\0` (or the /s character);
// REG_DWORD and REG_QWORD decimal or 0x hex; REG_BINARY and REG_NONE hex digits.
namespace winipsec::registry {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

struct Argument {
    std::string text;
    std::vector<std::size_t> offsets;  // of each character in the command line
    std::size_t start = 0;
};

std::vector<Argument> split_arguments(std::string_view line) {
    std::vector<Argument> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) ++i;
        if (i >= line.size()) break;
        Argument arg;
        arg.start = i;
        bool quoted = false;
        while (i < line.size() && (quoted || !is_blank(line[i]))) {
            if (line[i] == '\\') {
                std::size_t n = 0;
                while (i + n < line.size() && line[i + n] == '\\') ++n;
                const bool before_quote = i + n < line.size() && line[i + n] == '"';
                const std::size_t kept = before_quote ? n / 2 : n;
                for (std::size_t k = 0; k < kept; ++k) {
                    arg.text.push_back('\\');
                    arg.offsets.push_back(i + k);
                }
                i += n;
                if (before_quote && n % 2 == 1) {  // \" is a literal quote
                    arg.text.push_back('"');
                    arg.offsets.push_back(i++);
                }
                continue;
            }
            if (line[i] == '"') {
                quoted = !quoted;
                ++i;
                continue;
            }
            arg.text.push_back(line[i]);
            arg.offsets.push_back(i++);
        }
        out.push_back(std::move(arg));
    }
    return out;
}

// `reg`, `reg.exe`, `C:\Windows\System32\reg.exe`, any case.
bool is_reg_program(std::string_view word) {
    if (const auto slash = word.find_last_of("\\/"); slash != std::string_view::npos) word = word.substr(slash + 1);
    return iequals(word, "reg") || iequals(word, "reg.exe");
}

bool is_switch(std::string_view word, std::string_view name) {
    return word.size() == name.size() + 1 && (word[0] == '/' || word[0] == '-') && iequals(word.substr(1), name);
}

std::optional<std::uint32_t> type_number(std::string_view name) {
    static constexpr std::pair<std::string_view, std::uint32_t> types[] = {
        {"REG_SZ", value_type::string},
        {"REG_EXPAND_SZ", value_type::expand_string},
        {"REG_MULTI_SZ", value_type::multi_string},
        {"REG_BINARY", value_type::binary},
        {"REG_DWORD", value_type::dword},
        {"REG_DWORD_LITTLE_ENDIAN", value_type::dword},
        {"REG_DWORD_BIG_ENDIAN", value_type::dword_big_endian},
        {"REG_QWORD", value_type::qword},
        {"REG_NONE", value_type::none},
    };
    for (const auto& [n, t] : types)
        if (iequals(name, n)) return t;
    return std::nullopt;
}

struct CommandError {
    std::size_t offset;  // in the command line
    std::string message;
};

std::vector<std::uint8_t> utf16z(std::string_view text) {
    auto bytes = utf8_to_utf16le(text);
    bytes.insert(bytes.end(), {0, 0});
    return bytes;
}

std::optional<std::uint64_t> parse_integer(std::string_view text, std::uint64_t max) {
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        base = 16;
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

std::optional<unsigned> hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return std::nullopt;
}

// The /d argument as the bytes reg.exe stores for `type`.
std::expected<RegistryValue, CommandError> encode_data(const Argument& data, std::uint32_t type, char separator,
                                                       const ScriptLine& line) {
    RegistryValue value;
    value.type = type;
    const std::string& t = data.text;
    auto error_at = [&](std::size_t i, std::string message) {
        return std::unexpected(
            CommandError{i < data.offsets.size() ? data.offsets[i] : data.start, std::move(message)});
    };
    switch (type) {
        case value_type::string:
        case value_type::expand_string: value.data = utf16z(t); break;
        case value_type::multi_string: {
            std::size_t start = 0;
            for (std::size_t i = 0; i <= t.size(); ++i) {
                const bool at_separator = separator == '\0' ? (i + 1 < t.size() && t[i] == '\\' && t[i + 1] == '0')
                                                            : (i < t.size() && t[i] == separator);
                if (i < t.size() && !at_separator) continue;
                auto part = utf16z(std::string_view(t).substr(start, i - start));
                value.data.insert(value.data.end(), part.begin(), part.end());
                start = i + (separator == '\0' ? 2 : 1);
                if (separator == '\0' && at_separator) ++i;
            }
            value.data.insert(value.data.end(), {0, 0});
            break;
        }
        case value_type::dword:
        case value_type::dword_big_endian: {
            const auto n = parse_integer(t, 0xFFFFFFFFu);
            if (!n) return error_at(0, fmt::format("'{}' is no 32-bit number (decimal or 0x hex)", t));
            for (int k = 0; k < 4; ++k) {
                const int shift = type == value_type::dword ? 8 * k : 8 * (3 - k);
                value.data.push_back(static_cast<std::uint8_t>(*n >> shift));
            }
            break;
        }
        case value_type::qword: {
            const auto n = parse_integer(t, ~std::uint64_t{0});
            if (!n) return error_at(0, fmt::format("'{}' is no 64-bit number (decimal or 0x hex)", t));
            for (int k = 0; k < 8; ++k) value.data.push_back(static_cast<std::uint8_t>(*n >> (8 * k)));
            break;
        }
        default: {  // REG_BINARY, REG_NONE: hex digits, two per byte
            if (t.size() % 2 != 0) return error_at(t.size() - 1, "binary data has an odd number of hex digits");
            for (std::size_t i = 0; i < t.size(); i += 2) {
                const auto hi = hex_digit(t[i]), lo = hex_digit(t[i + 1]);
                if (!hi || !lo)
                    return error_at(hi ? i + 1 : i, fmt::format("'{}' is not a hex digit", t[hi ? i + 1 : i]));
                value.data.push_back(static_cast<std::uint8_t>((*hi << 4) | *lo));
                const SourceLocation where = line.at(data.offsets[i]);
                value.byte_origin.push_back({where.line, where.column});
            }
        }
    }
    return value;
}

class RegExeReader {
public:
    RegExeReader(RegistryTree& tree, Diagnostics& diagnostics) : tree_(tree), diagnostics_(diagnostics) {}

    // False when the line is no reg.exe command.
    bool apply(const ScriptLine& line) {
        auto args = split_arguments(line.text);
        if (args.empty() || !is_reg_program(args[0].text)) return false;
        line_ = &line;
        if (args.size() < 2) {
            warn_not_applied(0, "'reg' without an operation only prints its usage");
            return true;
        }
        const std::string operation = ascii_lower(args[1].text);
        if (operation == "add" || operation == "delete") {
            auto result = operation == "add" ? add(args) : remove(args);
            if (!result)
                diagnostics_.error(
                    code::reg_exe_syntax, line.at(result.error().offset),
                    fmt::format("{}; reg.exe would refuse this command, so it is not applied", result.error().message));
        } else if (operation == "query" || operation == "export" || operation == "compare" || operation == "save" ||
                   operation == "flags") {
            diagnostics_.note(code::no_effect, line.at(args[1].start),
                              fmt::format("'reg {}' reads the registry; it changes nothing", args[1].text));
        } else {
            warn_not_applied(args[1].start,
                             fmt::format("'reg {}' changes the registry in a way winipsec cannot follow{}; import "
                                         "what it loads separately if you have it",
                                         args[1].text, operation == "import" ? " (it reads another file)" : ""));
        }
        return true;
    }

private:
    void warn_not_applied(std::size_t offset, std::string message) {
        diagnostics_.warning(code::not_applied, line_->at(offset), std::move(message));
    }

    // The KEY argument: the root abbreviations reg.exe knows, no remote machine.
    std::expected<std::string, CommandError> key_path(const std::vector<Argument>& args) {
        if (args.size() < 3 || args[2].text.starts_with('/'))
            return std::unexpected(CommandError{args[1].start, fmt::format("'reg {}' needs a key", args[1].text)});
        const Argument& key = args[2];
        if (key.text.starts_with("\\\\"))
            return std::unexpected(
                CommandError{key.start, fmt::format("'{}' names another computer's registry", key.text)});
        const std::string path = normalise_key_path(key.text);
        if (!has_predefined_root(path))
            return std::unexpected(CommandError{
                key.start, fmt::format("'{}' does not start with a registry root (HKLM, HKCU, ...)", key.text)});
        return path;
    }

    struct Switches {
        std::optional<std::size_t> v, ve, va, t, s, d;  // index of the switch's argument (or the switch)
    };

    std::expected<Switches, CommandError> read_switches(const std::vector<Argument>& args, bool add) {
        Switches s;
        for (std::size_t i = 3; i < args.size(); ++i) {
            const std::string& w = args[i].text;
            auto needs_value = [&](std::optional<std::size_t>& slot) -> std::optional<CommandError> {
                if (i + 1 >= args.size()) return CommandError{args[i].start, fmt::format("{} needs a value", w)};
                slot = ++i;
                return std::nullopt;
            };
            std::optional<CommandError> error;
            if (is_switch(w, "v"))
                error = needs_value(s.v);
            else if (is_switch(w, "ve"))
                s.ve = i;
            else if (!add && is_switch(w, "va"))
                s.va = i;
            else if (add && is_switch(w, "t"))
                error = needs_value(s.t);
            else if (add && is_switch(w, "s"))
                error = needs_value(s.s);
            else if (add && is_switch(w, "d"))
                error = needs_value(s.d);
            else if (is_switch(w, "f") || is_switch(w, "reg:32") || is_switch(w, "reg:64"))
                continue;
            else
                error = CommandError{args[i].start,
                                     fmt::format("'{}' is no option of 'reg {}'", w, add ? "add" : "delete")};
            if (error) return std::unexpected(*error);
        }
        if ((s.v ? 1 : 0) + (s.ve ? 1 : 0) + (s.va ? 1 : 0) > 1)
            return std::unexpected(CommandError{args[1].start, "/v, /ve and /va exclude each other"});
        return s;
    }

    std::expected<void, CommandError> add(const std::vector<Argument>& args) {
        const auto path = key_path(args);
        if (!path) return std::unexpected(path.error());
        const auto s = read_switches(args, true);
        if (!s) return std::unexpected(s.error());
        std::uint32_t type = value_type::string;
        if (s->t) {
            const auto t = type_number(args[*s->t].text);
            if (!t)
                return std::unexpected(CommandError{
                    args[*s->t].start, fmt::format("'{}' is no value type reg.exe knows", args[*s->t].text)});
            type = *t;
        }
        char separator = '\0';
        if (s->s) {
            if (args[*s->s].text.size() != 1)
                return std::unexpected(CommandError{args[*s->s].start, "/s takes exactly one character"});
            separator = args[*s->s].text[0];
        }
        RegistryKey& key = tree_.open(*path, line_->at(args[2].start));
        if (!s->v && !s->ve) return {};  // creates the key only
        Argument empty;
        empty.start = args[1].start;
        auto value = encode_data(s->d ? args[*s->d] : empty, type, separator, *line_);
        if (!value) return std::unexpected(value.error());
        value->name = s->v ? args[*s->v].text : std::string();
        value->where = line_->at(s->v ? args[*s->v].start : args[*s->ve].start);
        tree_.set(key, std::move(*value));
        return {};
    }

    std::expected<void, CommandError> remove(const std::vector<Argument>& args) {
        const auto path = key_path(args);
        if (!path) return std::unexpected(path.error());
        const auto s = read_switches(args, false);
        if (!s) return std::unexpected(s.error());
        if (s->v || s->ve) {
            tree_.remove_value(*path, s->v ? args[*s->v].text : std::string());
        } else if (s->va) {
            if (const RegistryKey* key = tree_.find(*path))
                for (const auto& v : std::vector<RegistryValue>(key->values)) tree_.remove_value(*path, v.name);
        } else {
            tree_.remove_key(*path);
        }
        return {};
    }

    RegistryTree& tree_;
    Diagnostics& diagnostics_;
    const ScriptLine* line_ = nullptr;
};

}  // namespace

std::size_t read_reg_exe_commands(const DecodedText& text, const ImportOptions& options, RegistryTree& tree,
                                  Diagnostics& diagnostics) {
    const BatchScript script = read_batch_script(text, BatchOptions{options.defines}, diagnostics);
    RegExeReader reader(tree, diagnostics);
    std::size_t commands = 0;
    for (const auto& line : script.commands) commands += reader.apply(line) ? 1 : 0;
    if (commands == 0) {
        SourceLocation where;
        where.file = text.path;
        diagnostics.error(code::reg_exe_syntax, where, "no 'reg add' or 'reg delete' command found; nothing imported");
    }
    return commands;
}

RegExeLineCount count_reg_exe_lines(std::string_view utf8) {
    RegExeLineCount count;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const auto nl = utf8.find('\n', pos);
        std::string_view line = utf8.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? utf8.size() : nl + 1;
        // `echo Y | reg add ...` answers reg's overwrite prompt
        if (const auto bar = line.find('|'); bar != std::string_view::npos && istarts_with(line, "echo"))
            line = line.substr(bar + 1);
        auto args = split_arguments(line.substr(0, std::min<std::size_t>(line.size(), 512)));
        if (args.size() < 3) continue;
        if (args[0].text.starts_with('@')) args[0].text.erase(0, 1);
        if (!is_reg_program(args[0].text)) continue;
        const std::string operation = ascii_lower(args[1].text);
        if (operation != "add" && operation != "delete") continue;
        ++count.commands;
        if (ascii_lower(args[2].text).find("ipsec") != std::string::npos) ++count.ipsec;
    }
    return count;
}

}  // namespace winipsec::registry
