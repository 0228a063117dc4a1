#include "plugins/ipseccmd/ipseccmd_arguments.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "plugins/ipseccmd/ipseccmd_codes.hpp"

namespace winipsec::ipseccmd {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// How many values a switch takes (spec §6.1 and the ipseccmd additions -1e,
// -1f, -file). `many`: every following non-switch word, so that lists may be
// written unquoted (`-f 0+* *+0`) or repeated.
struct SwitchSpec {
    std::string_view name;
    bool takes_value;
    bool many;
};

constexpr SwitchSpec switch_table[] = {
    {"f", true, true},     {"n", true, true},      {"t", true, false},        {"a", true, true},
    {"1s", true, true},    {"1k", true, false},    {"1p", false, false},      {"1e", true, false},
    {"1f", true, true},    {"soft", false, false}, {"confirm", false, false}, {"dialup", false, false},
    {"lan", false, false}, {"u", false, false},    {"w", true, false},        {"p", true, false},
    {"r", true, false},    {"x", false, false},    {"y", false, false},       {"o", false, false},
    {"file", true, false}, {"?", false, false},
};

const SwitchSpec* find_switch(std::string_view canonical) {
    for (const auto& s : switch_table)
        if (s.name == canonical) return &s;
    return nullptr;
}

// -f and -r may be given several times (corpus #97 repeats -f; KB 813878
// deletes two rules with `-r a -r b -o`); others: the last one wins.
bool repeatable(std::string_view name) {
    return name == "f" || name == "r";
}

std::string did_you_mean(std::string_view name) {
    std::string best;
    std::size_t best_distance = 3;
    const std::string lowered = ascii_lower(name);
    for (const auto& s : switch_table) {
        const std::size_t d = edit_distance(lowered, s.name);
        if (d < best_distance && d < std::max<std::size_t>(2, s.name.size())) {
            best_distance = d;
            best = s.name;
        }
    }
    return best.empty() ? std::string() : fmt::format("; did you mean -{}?", best);
}

// The program a word names: "ipseccmd", "ipsecpol" or "ipsec".
std::optional<std::string> program_of(std::string_view word) {
    if (word.starts_with('@')) word.remove_prefix(1);
    const auto slash = word.find_last_of("\\/");
    if (slash != std::string_view::npos) word.remove_prefix(slash + 1);
    std::string base = ascii_lower(word);
    if (base.ends_with(".exe")) base.resize(base.size() - 4);
    if (base == "ipseccmd" || base == "ipsecpol" || base == "ipsec") return base;
    return std::nullopt;
}

enum class Dash { None, Ascii, Typographic };

Dash dash_of(std::string_view text) {
    if (text.size() > 1 && text[0] == '-') return Dash::Ascii;
    if ((text.starts_with(en_dash) || text.starts_with(em_dash)) && text.size() > en_dash.size())
        return Dash::Typographic;
    return Dash::None;
}

bool starts_like_switch(std::string_view text) {
    return dash_of(text) != Dash::None;
}

// The renamed `ipsec` binary of corpus #21 is ours only when what follows
// cannot be netsh's context syntax (`ipsec static add ...`).
bool program_qualifies(const std::string& tool, const std::vector<Word>& words, std::size_t next) {
    if (tool != "ipsec") return true;
    if (next >= words.size()) return false;
    const auto& w = words[next].text;
    if (starts_like_switch(w)) return true;
    if (w.starts_with("\\\\")) return next + 1 < words.size() && starts_like_switch(words[next + 1].text);
    return iequals(w, "export") || iequals(w, "import");
}

// `[Const ]name[(index)] = "text"  ['comment]` -- VBScript building an
// ipsecpol command line (corpus #27). Returns the unescaped string ("" -> ").
std::optional<Word> vbscript_string_literal(const Word& line) {
    const std::string& s = line.text;
    std::size_t i = 0;
    auto skip = [&] {
        while (i < s.size() && is_blank(s[i])) ++i;
    };
    skip();
    if (istarts_with(std::string_view(s).substr(i), "const ")) {
        i += 6;
        skip();
    }
    if (i >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) return std::nullopt;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    skip();
    if (i < s.size() && s[i] == '(') {
        const auto close = s.find(')', i);
        if (close == std::string::npos || s.find('"', i) < close) return std::nullopt;
        i = close + 1;
        skip();
    }
    if (i >= s.size() || s[i] != '=') return std::nullopt;
    ++i;
    skip();
    if (i >= s.size() || s[i] != '"') return std::nullopt;
    ++i;
    Word content;
    content.line = line.line;
    content.quoted = false;
    bool closed = false;
    while (i < s.size()) {
        if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
                content.text.push_back('"');
                content.offsets.push_back(line.offsets[i]);
                i += 2;
                continue;
            }
            closed = true;
            break;
        }
        content.text.push_back(s[i]);
        content.offsets.push_back(line.offsets[i]);
        ++i;
    }
    if (!closed) return std::nullopt;
    content.offsets.push_back(line.offsets[i]);
    ++i;
    skip();
    // Anything but a trailing comment (e.g. `& sCmd`) means the string is
    // only a piece of a command line; we do not evaluate VBScript.
    if (i < s.size() && s[i] != '\'') return std::nullopt;
    return content;
}

}  // namespace

const std::vector<std::string_view>& known_switches() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const auto& s : switch_table) v.push_back(s.name);
        return v;
    }();
    return names;
}

std::optional<std::string_view> comment_body(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    if (text.starts_with("::")) return text.substr(2);
    if (text.starts_with("#")) return text.substr(1);
    std::string_view t = text;
    if (t.starts_with('@')) t.remove_prefix(1);
    if (istarts_with(t, "rem") && (t.size() == 3 || is_blank(t[3]) || t[3] == '.' || t[3] == ':'))
        return t.substr(std::min<std::size_t>(4, t.size()));
    return std::nullopt;
}

ClassifiedLine classify_line(const ScriptLine& script_line) {
    ClassifiedLine out;
    const Word line = Word::of_line(script_line).trimmed();
    if (line.empty()) return out;

    if (const auto body = comment_body(line.text)) {
        out.kind = looks_like_invocation(*body) ? LineKind::CommentedInvocation : LineKind::Comment;
        return out;
    }
    if (line.text.starts_with(':')) {  // a batch label
        out.kind = LineKind::Comment;
        return out;
    }

    if (const auto literal = vbscript_string_literal(line)) {
        const Word content = literal->trimmed();
        auto words = split_arguments(content).words;
        if (!words.empty() && starts_like_switch(words[0].text)) {
            out.kind = LineKind::Invocation;
            out.words = std::move(words);
            out.has_head = false;
            out.from_vbscript = true;
            return out;
        }
        if (!words.empty()) {
            if (const auto tool = program_of(words[0].text);
                tool && words.size() > 1 && program_qualifies(*tool, words, 1)) {
                out.kind = LineKind::Invocation;
                out.words = std::move(words);
                out.from_vbscript = true;
                return out;
            }
        }
    }

    auto words = split_arguments(line).words;
    if (words.empty()) return out;
    if (words[0].text.starts_with('@')) words[0] = words[0].slice(1);
    if (const auto tool = program_of(words[0].text); tool && program_qualifies(*tool, words, 1)) {
        out.kind = LineKind::Invocation;
        out.words = std::move(words);
        return out;
    }
    out.kind = LineKind::NotACommand;
    const auto first = program_of(words[0].text);
    if (iequals(words[0].text, "netsh") || iequals(words[0].text, "netsh.exe") ||
        (first == "ipsec" && words.size() > 1 &&
         (iequals(words[1].text, "static") || iequals(words[1].text, "dynamic"))))
        out.hint = "it is a netsh command: import it with --format netsh";
    return out;
}

bool looks_like_invocation(std::string_view text) {
    ScriptLine line;
    line.text = std::string(text);
    return classify_line(line).kind == LineKind::Invocation;
}

const SwitchArgument* RawInvocation::last(std::string_view name) const {
    for (auto it = switches.rbegin(); it != switches.rend(); ++it)
        if (it->name == name) return &*it;
    return nullptr;
}

std::vector<const SwitchArgument*> RawInvocation::all(std::string_view name) const {
    std::vector<const SwitchArgument*> out;
    for (const auto& s : switches)
        if (s.name == name) out.push_back(&s);
    return out;
}

std::optional<RawInvocation> parse_arguments(const ClassifiedLine& line, Diagnostics& diagnostics) {
    if (line.kind != LineKind::Invocation || line.words.empty()) return std::nullopt;
    const std::size_t errors_before = diagnostics.error_count();
    RawInvocation inv;
    inv.from_vbscript = line.from_vbscript;
    std::size_t i = 0;
    inv.head = line.words[0];
    if (line.has_head) {
        inv.tool = *program_of(line.words[0].text);
        i = 1;
    }
    const auto& words = line.words;
    if (i < words.size() && words[i].text.starts_with("\\\\")) inv.computer = words[i++];

    if (i >= words.size()) {
        inv.kind = InvocationKind::Help;
        return inv;
    }
    // Verbs that are not switches.
    const std::string& verb = words[i].text;
    auto take_operands = [&](InvocationKind kind) {
        inv.kind = kind;
        inv.operands.assign(words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
        return inv;
    };
    if (inv.tool == "ipsec" && iequals(verb, "export")) return take_operands(InvocationKind::Export);
    if (inv.tool == "ipsec" && iequals(verb, "import")) return take_operands(InvocationKind::Import);
    if (!inv.tool.empty() && iequals(verb, "show")) return take_operands(InvocationKind::Query);

    std::optional<SourceLocation> first_typographic_dash;
    int typographic_dashes = 0;
    SwitchArgument* current = nullptr;  // the switch collecting values
    bool current_known = true;
    for (; i < words.size(); ++i) {
        const Word& w = words[i];
        // The program sees argv without quotes, so a quoted "-w" is a switch too.
        const Dash dash = dash_of(w.text);
        // A typographic dash (U+2013/U+2014, text pasted from documents: the
        // Resource Kit help itself renders its dashes that way) is read as
        // '-', with one warning per invocation (corpus #97).
        if (dash != Dash::None) {
            const std::size_t skip = dash == Dash::Ascii ? 1 : en_dash.size();
            const std::string canonical = ascii_lower(std::string_view(w.text).substr(skip));
            if (dash == Dash::Typographic) {
                if (!first_typographic_dash) first_typographic_dash = w.at(0);
                ++typographic_dashes;
            }
            inv.switches.push_back({canonical, w, {}});
            current = &inv.switches.back();
            current_known = find_switch(canonical) != nullptr;
            if (!current_known)
                diagnostics.error(code::unknown_switch, w.at(0),
                                  fmt::format("unknown switch '{}'{}", w.text, did_you_mean(canonical)));
            continue;
        }
        // '/f' [I]: every Microsoft example and the tool's usage text write
        // '-'; whether the tool also took '/' is unknown, and importing a
        // command Windows may have refused would invent policy, so reject.
        if (w.text.size() > 1 && w.text[0] == '/' && find_switch(ascii_lower(w.text.substr(1)))) {
            diagnostics.error(code::slash_switch, w.at(0),
                              fmt::format("'{}': ipseccmd and ipsecpol switches start with '-' (spec §6.1); write "
                                          "-{} if that is what ran",
                                          w.text, w.text.substr(1)));
            inv.switches.push_back({ascii_lower(w.text.substr(1)), w, {}});
            current = &inv.switches.back();
            current_known = false;  // its values are swallowed, not reported again
            continue;
        }
        if (!current) {
            diagnostics.error(code::unexpected_argument, w.at(0),
                              fmt::format("'{}' is not a switch; {} arguments are switches such as -f, -n, -w", w.text,
                                          inv.tool.empty() ? "ipsecpol" : inv.tool));
            continue;
        }
        current->values.push_back(w);
    }

    for (const auto& s : inv.switches) {
        const SwitchSpec* spec = find_switch(s.name);
        if (!spec) continue;
        if (spec->takes_value && s.values.empty())
            diagnostics.error(code::missing_value, s.word.at(0), fmt::format("'{}' needs a value", s.word.text));
        if (!spec->takes_value && !s.values.empty())
            diagnostics.error(code::unexpected_argument, s.values[0].at(0),
                              fmt::format("'{}' takes no value, but '{}' follows it", s.word.text, s.values[0].text));
        if (spec->takes_value && !spec->many && s.values.size() > 1)
            diagnostics.error(
                code::unexpected_argument, s.values[1].at(0),
                fmt::format("'{}' takes one value, but '{} {}' follows it; quote a name that contains "
                            "blanks (\"{} {}\")",
                            s.word.text, s.values[0].text, s.values[1].text, s.values[0].text, s.values[1].text));
    }
    for (std::size_t a = 0; a < inv.switches.size(); ++a) {
        const auto& s = inv.switches[a];
        if (repeatable(s.name) || !find_switch(s.name)) continue;
        for (std::size_t b = a + 1; b < inv.switches.size(); ++b)
            if (inv.switches[b].name == s.name) {
                diagnostics.warning(
                    code::duplicate_switch, inv.switches[b].word.at(0),
                    fmt::format("'{}' is given twice; the last one is used", inv.switches[b].word.text));
                break;
            }
    }
    if (first_typographic_dash)
        diagnostics.warning(code::en_dash, *first_typographic_dash,
                            fmt::format("{} switch{} written with a typographic dash (–) instead of '-' (text copied "
                                        "from a web page or document); read as '-', but cmd.exe would have passed the "
                                        "dash unchanged",
                                        typographic_dashes, typographic_dashes == 1 ? " is" : "es are"));

    if (diagnostics.error_count() > errors_before) return std::nullopt;
    if (inv.has("?")) {
        inv.kind = InvocationKind::Help;
    } else if (const auto* file = inv.last("file")) {
        inv.kind = InvocationKind::BatchFile;
        inv.operands = file->values;
    }
    return inv;
}

}  // namespace winipsec::ipseccmd
