#include "plugins/netsh/netsh_context.hpp"

#include <cctype>
#include <vector>

#include "import/netsh_lexer.hpp"
#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {


// `static` / `dynamic` (netsh accepts unique abbreviations of context names).
std::optional<Context> ipsec_subcontext(std::string_view w) {
    static constexpr std::string_view names[] = {"static", "dynamic"};
    const WordMatch m = match_word(names, w);
    if (m.how != WordMatch::How::Exact && m.how != WordMatch::How::Prefix) return std::nullopt;
    return m.index == 0 ? Context::Static : Context::Dynamic;
}

std::size_t after(const CommandWords& words, std::size_t k, std::size_t end) {
    return k < words.size() ? words[k].begin : end;
}

// Context words after `netsh` (or at the start of a netsh script line).
LineHead context_words(const CommandWords& words, std::size_t k, std::size_t end, LineHead head) {
    if (k < words.size() && iequals(words[k].text, "ipsec")) {
        const auto sub = k + 1 < words.size() ? ipsec_subcontext(words[k + 1].text) : std::nullopt;
        if (!sub) {
            head.kind = LineKind::BadContext;
            head.detail = k + 1 < words.size() ? std::string(words[k + 1].text) : "";
            return head;
        }
        head.kind = LineKind::Command;
        head.context = *sub;
        head.verb = after(words, k + 2, end);
        return head;
    }
    if (k + 1 < words.size() && iequals(words[k].text, "advfirewall") && iequals(words[k + 1].text, "consec")) {
        head.kind = LineKind::Command;
        head.context = Context::Consec;
        head.verb = after(words, k + 2, end);
        return head;
    }
    head.kind = LineKind::OtherNetsh;
    head.detail = k < words.size() ? std::string(words[k].text) : "";
    return head;
}

bool blank_at(std::string_view s, std::size_t i, std::size_t end) {
    return i < end && is_blank(s[i]);
}

// `word` at text[i] (case-insensitive), followed by a blank or the end.
bool word_at(std::string_view s, std::size_t i, std::size_t end, std::string_view word) {
    if (i + word.size() > end || !iequals(s.substr(i, word.size()), word)) return false;
    return i + word.size() == end || is_blank(s[i + word.size()]);
}

std::size_t skip_blanks(std::string_view s, std::size_t i, std::size_t end) {
    while (blank_at(s, i, end)) ++i;
    return i;
}

}  // namespace

LineHead classify_line(std::string_view text, std::size_t begin, std::size_t end, std::optional<Context> pushed) {
    // Four words decide every line but one with netsh options before the
    // context (`netsh -r host ipsec static ...`); only those read further.
    auto words = first_words(text, begin, end, 4);
    if (words.size() > 1 && is_netsh_executable(words[0].text)) {
        const std::string_view w1 = words[1].text;
        if (iequals(w1, "-a") || iequals(w1, "-r") || iequals(w1, "-u") || iequals(w1, "-p"))
            words = first_words(text, begin, end, CommandWords::capacity);
    }
    LineHead head;
    if (words.empty()) return head;
    head.begin = words[0].begin;
    const std::string_view w0 = words[0].text;
    if (is_netsh_executable(w0)) {
        std::size_t k = 1;
        // netsh [-a AliasFile] [-c Context] [-r RemoteMachine] [-u user] [-p pw] [-f ScriptFile | exec ScriptFile]
        while (k < words.size()) {
            const std::string_view option = words[k].text;
            if (iequals(option, "-f") || iequals(option, "/f") || iequals(option, "exec")) {
                head.kind = LineKind::ScriptFile;
                head.detail = k + 1 < words.size() ? std::string(words[k + 1].text) : "";
                return head;
            }
            if (iequals(option, "-a") || iequals(option, "-r") || iequals(option, "-u") || iequals(option, "-p")) {
                k += 2;
                continue;
            }
            break;
        }
        return context_words(words, k, end, head);
    }
    if (iequals(w0, "ipsec") && words.size() > 1 && ipsec_subcontext(words[1].text))
        return context_words(words, 0, end, head);
    if (iequals(w0, "advfirewall") && words.size() > 1 && iequals(words[1].text, "consec"))
        return context_words(words, 0, end, head);
    if (iequals(w0, "pushd") && words.size() > 2 && iequals(words[1].text, "ipsec")) {
        if (const auto sub = ipsec_subcontext(words[2].text)) {
            head.kind = LineKind::PushContext;
            head.context = *sub;
            return head;
        }
    }
    if (iequals(w0, "popd")) {
        head.kind = LineKind::PopContext;
        return head;
    }
    if (iequals(w0, "exit") || iequals(w0, "quit") || iequals(w0, "bye")) {
        head.kind = LineKind::Exit;
        return head;
    }
    if (pushed && is_verb(*pushed, w0)) {
        head.kind = LineKind::Command;
        head.context = *pushed;
        head.verb = words[0].begin;
        return head;
    }
    return head;
}

std::optional<std::size_t> find_merged_head(std::string_view s, std::size_t from, std::size_t end) {
    bool quoted = false;
    for (std::size_t i = from; i < end; ++i) {
        if (s[i] == '"') quoted = !quoted;
        if (quoted) continue;
        const char first = s[i] | 0x20;  // both heads start with a letter: n or i, in any case
        if (first != 'n' && first != 'i') continue;
        if (i + 5 <= end && iequals(s.substr(i, 5), "netsh")) {
            std::size_t j = i + 5;
            if (j + 4 <= end && iequals(s.substr(j, 4), ".exe")) j += 4;
            if (blank_at(s, j, end)) {
                j = skip_blanks(s, j, end);
                if (word_at(s, j, end, "ipsec") || word_at(s, j, end, "advfirewall")) return i;
            }
        }
        // `ipsec static` glued to a value in a netsh script, at a word start
        // or after non-ASCII text (`name=关闭ipsec static add ...`).
        if (i > from && word_at(s, i, end, "ipsec") && !std::isalnum(static_cast<unsigned char>(s[i - 1])) &&
            s[i - 1] != '=' && s[i - 1] != '-' && s[i - 1] != '_') {
            const std::size_t j = skip_blanks(s, i + 5, end);
            if (word_at(s, j, end, "static") || word_at(s, j, end, "dynamic")) return i;
        }
    }
    return std::nullopt;
}

Trimmed trim_decorations(std::string_view s) {
    Trimmed t{0, s.size(), std::nullopt};
    auto trim_blanks = [&] {
        while (t.begin < t.end && is_blank(s[t.begin])) ++t.begin;
        while (t.end > t.begin && is_blank(s[t.end - 1])) --t.end;
    };
    trim_blanks();
    // A shell prompt: `C:\> `, `C:\Windows\system32>`, `PS C:\> `.
    {
        std::size_t i = t.begin;
        if (s.substr(i, 3) == "PS ") i += 3;
        if (i + 2 < t.end && std::isalpha(static_cast<unsigned char>(s[i])) && s[i + 1] == ':' && s[i + 2] == '\\') {
            const auto gt = s.find('>', i);
            if (gt != std::string_view::npos && gt < t.end && s.substr(i, gt - i).find(' ') == std::string_view::npos) {
                t.begin = gt + 1;
                trim_blanks();
            }
        }
    }
    // Liquid tags glued to the command (`{% highlight powershell %}netsh ...{% endhighlight %}`).
    while (s.substr(t.begin, 2) == "{%") {
        const auto close = s.find("%}", t.begin + 2);
        if (close == std::string_view::npos || close + 2 > t.end) break;
        t.begin = close + 2;
        trim_blanks();
    }
    while (t.end >= t.begin + 2 && s.substr(t.end - 2, 2) == "%}") {
        const auto open = s.rfind("{%", t.end - 2);
        if (open == std::string_view::npos || open < t.begin) break;
        t.end = open;
        trim_blanks();
    }
    // `@netsh ...` (echo suppressed) is netsh too.
    if (t.begin < t.end && s[t.begin] == '@') ++t.begin;
    // A markdown code-span backtick at either end.
    if (t.end > t.begin && s[t.end - 1] == '`') {
        t.backtick = t.end - 1;
        --t.end;
        trim_blanks();
    }
    if (t.end > t.begin && s[t.begin] == '`') {
        t.backtick = t.backtick.value_or(t.begin);
        ++t.begin;
        trim_blanks();
    }
    return t;
}

}  // namespace winipsec::netsh
