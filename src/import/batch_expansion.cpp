// cmd.exe's percent expansion ("phase 1"), its for-variable expansion
// ("phase 4") and delayed !NAME! expansion ("phase 5"), in one scanner per
// marker. Where cmd would silently expand an unknown reference to nothing,
// the reference is left verbatim and reported, so an admin can --define it.
#include <algorithm>
#include <charconv>
#include <optional>

#include "import/batch_expansion.hpp"

namespace winipsec::batch {

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

const std::string* find_define(const std::map<std::string, std::string>& defines, std::string_view name) {
    if (const auto it = defines.find(std::string(name)); it != defines.end()) return &it->second;
    const auto key = upper(name);
    for (const auto& [define, value] : defines)
        if (upper(define) == key) return &value;
    return nullptr;
}

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_path_modifier(char c) {
    return std::string_view("fdpnxsatzFDPNXSATZ").find(c) != std::string_view::npos;
}

// `%~dp0`, `%%~nxi`: the value taken as a path. The file-system modifiers
// (s short name, a attributes, t time, z size) cannot be known here.
std::optional<std::string> apply_path_modifiers(std::string value, std::string_view modifiers) {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    bool d = false, p = false, n = false, x = false, f = false;
    for (char c : modifiers) {
        switch (c | 0x20) {
            case 'f': f = true; break;
            case 'd': d = true; break;
            case 'p': p = true; break;
            case 'n': n = true; break;
            case 'x': x = true; break;
            default: return std::nullopt;
        }
    }
    if (!(d || p || n || x)) return value;  // `~` alone (dequote) or `~f` (full path: as given)
    if (f) d = p = n = x = true;
    const std::string_view v = value;
    const auto drive = (v.size() >= 2 && v[1] == ':') ? v.substr(0, 2) : std::string_view{};
    const auto path = v.substr(drive.size());
    const auto slash = path.find_last_of("\\/");
    const auto dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash + 1);
    const auto file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const auto dot = file.find_last_of('.');
    std::string out;
    if (d) out += drive;
    if (p) out += dir;
    if (n) out += file.substr(0, dot);
    if (x && dot != std::string_view::npos) out += file.substr(dot);
    return out;
}

std::optional<int> parse_int(std::string_view text) {
    int v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
    const auto fold = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    const auto it = std::search(hay.begin() + static_cast<std::ptrdiff_t>(from), hay.end(), needle.begin(),
                                needle.end(), [&](char a, char b) { return fold(a) == fold(b); });
    return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

// `%X:~start[,length]%` (negative counts from the end) and `%X:old=new%`
// (every match, ignoring case) / `%X:*old=new%` (through the first match).
std::optional<std::string> apply_edit(const std::string& value, std::string_view edit) {
    const int size = static_cast<int>(value.size());
    if (edit.starts_with('~')) {
        const auto comma = edit.find(',');
        const auto start_v = parse_int(edit.substr(1, comma == std::string_view::npos ? edit.npos : comma - 1));
        if (!start_v) return std::nullopt;
        const int start = std::clamp(*start_v < 0 ? size + *start_v : *start_v, 0, size);
        int length = size - start;
        if (comma != std::string_view::npos) {
            const auto len_v = parse_int(edit.substr(comma + 1));
            if (!len_v) return std::nullopt;
            length = *len_v < 0 ? size - start + *len_v : *len_v;
        }
        length = std::clamp(length, 0, size - start);
        return value.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
    }
    const auto eq = edit.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto old = edit.substr(0, eq);
    const auto replacement = edit.substr(eq + 1);
    const bool through_first = old.starts_with('*');
    if (through_first) old.remove_prefix(1);
    if (old.empty()) return std::nullopt;
    std::string out;
    std::size_t pos = 0;
    for (auto hit = ifind(value, old, 0); hit != std::string_view::npos; hit = ifind(value, old, pos)) {
        out += through_first ? std::string_view{} : std::string_view(value).substr(pos, hit - pos);
        out += replacement;
        pos = hit + old.size();
        if (through_first) break;
    }
    return out + value.substr(pos);
}

class Expander {
public:
    Expander(const MappedText& in, const std::vector<bool>& frozen, const Scope& scope, char marker)
        : in_(in), frozen_(frozen), scope_(scope), marker_(marker) {}

    Expansion run() {
        // Bytes that stay as they are accumulate in [kept, i) and are copied
        // as one stretch, so that they keep their origin as one run.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < in_.size();) {
            if (is_frozen(i) || in_[i] != marker_) {
                ++i;
                continue;
            }
            copy(kept, i);
            if (auto n = reference(i)) {
                i += n;
                kept = i;
            } else {
                const bool doubled = marker_ == '%' && at(i + 1) == '%';  // `%%` is a literal `%`
                copy(i, i + 1);
                i += doubled ? 2 : 1;
                kept = i;
            }
        }
        copy(kept, in_.size());
        out_.text.set_end(in_.end());
        return std::move(out_);
    }

private:
    const MappedText& in_;
    const std::vector<bool>& frozen_;
    const Scope& scope_;
    char marker_;
    Expansion out_;

    bool is_frozen(std::size_t i) const { return i < frozen_.size() && frozen_[i]; }
    char at(std::size_t i) const { return i < in_.size() && !is_frozen(i) ? in_[i] : '\0'; }
    std::string text(std::size_t begin, std::size_t end) const { return in_.text.substr(begin, end - begin); }
    bool is_loop_variable(char c) const {
        return scope_.loop_variables && c != '\0' &&
               std::find(scope_.loop_variables->begin(), scope_.loop_variables->end(), c) !=
                   scope_.loop_variables->end();
    }

    // out_.frozen stays empty (all bytes free, as `expand` reads it) until a
    // byte must be frozen: most lines have no verbatim reference.
    void mark(std::size_t count, bool frozen) {
        if (frozen && out_.frozen.empty()) out_.frozen.resize(out_.text.size() - count, false);
        if (!out_.frozen.empty()) out_.frozen.resize(out_.text.size(), frozen);
    }
    // in_[begin, end) unchanged, each byte frozen as it was.
    void copy(std::size_t begin, std::size_t end) {
        if (begin >= end) return;
        out_.text.append(in_, begin, end);
        bool any = false;
        for (auto i = begin; i < end && i < frozen_.size() && !any; ++i) any = frozen_[i];
        if (!any) return mark(end - begin, false);
        out_.frozen.resize(out_.text.size() - (end - begin), false);
        for (auto i = begin; i < end; ++i) out_.frozen.push_back(is_frozen(i));
    }
    std::size_t substitute(std::string_view value, std::size_t begin, std::size_t end) {
        out_.text.append_value(value, in_.at(begin), in_.at(end));
        mark(value.size(), false);
        return end - begin;
    }
    std::size_t verbatim(std::size_t begin, std::size_t end, Unresolved::Kind kind, std::string name) {
        out_.text.append(in_, begin, end);
        mark(end - begin, true);
        out_.unresolved.push_back({kind, {text(begin, end), std::move(name)}, in_.at(begin), {}, {}});
        return end - begin;
    }

    // Length of the reference starting at the marker at `i`; 0 if there is none.
    std::size_t reference(std::size_t i) {
        if (marker_ == '%') {
            if (at(i + 1) == '%') return loop_reference(i, 2);
            if (auto n = argument_reference(i)) return n;
        }
        if (auto n = variable_reference(i)) return n;
        return marker_ == '%' ? loop_reference(i, 1) : 0;
    }

    // %%i, %%~nxi (and %i as typed at a prompt) of a `for` being run.
    std::size_t loop_reference(std::size_t i, std::size_t prefix) {
        std::size_t j = i + prefix;
        const bool tilde = at(j) == '~';
        std::size_t modifiers = j + (tilde ? 1 : 0);
        if (tilde)
            while (is_alpha(at(j + 1))) ++j;
        if (tilde && j == i + prefix) return 0;
        const char variable = at(j);
        if (!is_loop_variable(variable)) return 0;
        for (auto k = modifiers; k < j; ++k)
            if (!is_path_modifier(in_[k])) return 0;
        const auto end = j + 1;
        const std::string name(1, variable);
        const auto* value = scope_.defines ? find_define(*scope_.defines, name) : nullptr;
        if (!value) return verbatim(i, end, Unresolved::Kind::LoopVariable, name);
        const auto v = tilde ? apply_path_modifiers(*value, text(modifiers, j)) : std::optional<std::string>(*value);
        if (!v) return verbatim(i, end, Unresolved::Kind::Unsupported, name);
        return substitute(*v, i, end);
    }

    // %0..%9, %*, %~1, %~dp0: arguments of the `call` (or of the script).
    std::size_t argument_reference(std::size_t i) {
        std::size_t j = i + 1;
        const bool tilde = at(j) == '~';
        if (tilde)
            while (is_path_modifier(at(j + 1))) ++j;
        const std::size_t digit = tilde ? j + 1 : j;
        if (!is_digit(at(digit)) && !(at(digit) == '*' && !tilde)) return 0;
        const auto end = digit + 1;
        const std::string name(1, in_[digit]);
        std::optional<std::string> value;
        if (name == "0") {
            value = scope_.argument0;
        } else if (scope_.arguments) {
            const auto& args = *scope_.arguments;
            if (name == "*") {
                value.emplace();
                for (const auto& a : args) *value += (value->empty() ? "" : " ") + a;
            } else {
                const auto k = static_cast<std::size_t>(name[0] - '0');
                value = k <= args.size() ? args[k - 1] : std::string();  // cmd: a missing argument is empty
            }
        } else if (const auto* d = scope_.defines ? find_define(*scope_.defines, name) : nullptr) {
            value = *d;
        }
        if (!value) return verbatim(i, end, Unresolved::Kind::Argument, name);
        if (tilde) value = apply_path_modifiers(*value, text(i + 2, digit));
        if (!value) return verbatim(i, end, Unresolved::Kind::Unsupported, name);
        return substitute(*value, i, end);
    }

    // %NAME%, %NAME:~0,2%, %NAME:a=b% (and the same between `!` when delayed).
    std::size_t variable_reference(std::size_t i) {
        std::size_t close = i + 1;
        while (close < in_.size() && in_[close] != marker_ && !is_frozen(close) && !is_blank(in_[close])) ++close;
        if (at(close) != marker_ || close == i + 1) return 0;
        const auto inner = text(i + 1, close);
        const auto colon = inner.find(':');
        const auto name = inner.substr(0, colon);
        if (name.empty()) return 0;
        const auto end = close + 1;
        const Variable* variable = nullptr;
        if (scope_.variables)
            if (const auto it = scope_.variables->find(upper(name)); it != scope_.variables->end())
                variable = &it->second;
        std::optional<std::string> value;
        if (const auto* d = scope_.defines ? find_define(*scope_.defines, name) : nullptr) {
            value = *d;
        } else if (variable) {
            if (!variable->missing.empty()) {
                verbatim(i, end, Unresolved::Kind::Inherited, name);
                out_.unresolved.back().set_at = variable->set_at;
                out_.unresolved.back().missing = variable->missing;
                return end - i;
            }
            value = variable->value;
        } else if (!scope_.self.empty() && upper(name) == upper(scope_.self)) {
            value.emplace();  // `set list=%list% x`: cmd expands the unset variable to nothing
        } else if (marker_ == '%' && is_loop_variable(at(i + 1))) {
            return 0;  // `%i` of a `for` typed as at a prompt, followed by some later `%`
        } else {
            return verbatim(i, end, Unresolved::Kind::Variable, name);
        }
        if (colon != std::string::npos) value = apply_edit(*value, std::string_view(inner).substr(colon + 1));
        if (!value) return verbatim(i, end, Unresolved::Kind::Unsupported, name);
        return substitute(*value, i, end);
    }
};

}  // namespace

Expansion expand(const MappedText& in, const std::vector<bool>& frozen, const Scope& scope) {
    // Most commands hold no reference at all: then the expansion is a copy.
    const bool marked = in.text.find('%') != std::string::npos ||
                        (scope.delayed && in.text.find('!') != std::string::npos);
    if (!marked && frozen.empty()) return Expansion{in, {}, {}};
    auto percent = Expander(in, frozen, scope, '%').run();
    if (!scope.delayed) return percent;
    auto bang = Expander(percent.text, percent.frozen, scope, '!').run();
    bang.unresolved.insert(bang.unresolved.begin(), percent.unresolved.begin(), percent.unresolved.end());
    return bang;
}

}  // namespace winipsec::batch
