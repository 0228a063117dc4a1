#include "plugins/consec/consec_command.hpp"

#include <string_view>
#include <vector>

#include "import/netsh_lexer.hpp"
#include "plugins/consec/consec_values.hpp"

namespace winipsec::consec {

// netsh's lexical rules hold in every netsh context.
using netsh::first_words;
using netsh::is_blank;
using netsh::is_netsh_executable;

Command classify_command(const ScriptLine& line) {
    const auto words = first_words(line.text, 0, line.text.size(), 12);
    Command c;
    if (words.empty()) return c;
    std::size_t k = 0;
    if (is_netsh_executable(words[0].text)) {
        k = 1;
        // netsh [-a file] [-c context] [-r machine] [-u user] [-p password] ...
        while (k + 1 < words.size() && words[k].text.size() == 2 && words[k].text[0] == '-') k += 2;
        c.kind = CommandKind::OtherNetsh;
    } else if (!iequals(words[0].text, "advfirewall")) {
        return c;  // NotNetsh
    }
    auto word = [&](std::size_t i) { return i < words.size() ? words[i].text : std::string_view(); };
    auto arguments_from = [&](std::size_t i) { return i < words.size() ? words[i].begin : line.text.size(); };
    const std::size_t head_begin = k < words.size() ? words[k].begin : line.text.size();
    auto finish = [&](CommandKind kind, std::size_t args_word) {
        c.kind = kind;
        c.arguments = arguments_from(args_word);
        const std::size_t end = args_word < words.size() ? words[args_word].begin : line.text.size();
        c.words = std::string(line.text.substr(head_begin, end - head_begin));
        while (!c.words.empty() && is_blank(c.words.back())) c.words.pop_back();
        return c;
    };
    if (iequals(word(k), "ipsec")) return finish(CommandKind::LegacyIpsec, k + 1);
    if (!iequals(word(k), "advfirewall")) return finish(c.kind, k + 1);
    const std::string_view second = word(k + 1), third = word(k + 2), fourth = word(k + 3);
    if (iequals(second, "consec")) {
        const bool rule = iequals(fourth, "rule");
        if (iequals(third, "add") && rule) return finish(CommandKind::ConsecAddRule, k + 4);
        if (iequals(third, "delete") && rule) return finish(CommandKind::ConsecDeleteRule, k + 4);
        if (iequals(third, "set") && rule) return finish(CommandKind::ConsecSetRule, k + 4);
        if (iequals(third, "show")) return finish(CommandKind::ConsecShow, k + 3);
        return finish(CommandKind::ConsecOther, k + 3);
    }
    if (iequals(second, "set") && iequals(third, "store")) return finish(CommandKind::SetStore, k + 3);
    if (iequals(second, "set") && iequals(third, "global"))
        return finish(iequals(fourth, "mainmode") ? CommandKind::SetGlobalMainMode : CommandKind::SetGlobalOther,
                      k + 4);
    return finish(CommandKind::OtherAdvfirewall, k + 3);
}

}  // namespace winipsec::consec
