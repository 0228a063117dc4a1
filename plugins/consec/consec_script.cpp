#include "plugins/consec/consec_script.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "plugins/consec/consec_codes.hpp"
#include "plugins/consec/consec_command.hpp"
#include "import/netsh_lexer.hpp"
#include "plugins/consec/consec_values.hpp"

namespace winipsec::consec {

// advfirewall commands are lexed like every netsh command (spec §4.1).
using netsh::lex;
namespace {

// The start of a line for a message, cut at a UTF-8 character boundary.
std::string shorten(std::string_view text) {
    std::string s(text.substr(std::min(text.size(), text.find_first_not_of(" \t"))));
    if (s.size() > 72) {
        std::size_t cut = 69;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut) + "...";
    }
    return s;
}

class ScriptRunner {
public:
    ScriptRunner(ConsecPolicy& policy, Diagnostics& d) : policy_(policy), d_(d) {}

    std::size_t run(const BatchScript& script) {
        for (const auto& c : script.commented_out)
            if (lower(c.text).find("advfirewall") != std::string::npos)
                d_.note(code::commented_out, c.where,
                        fmt::format("commented-out command, not applied: {}", shorten(c.text)));
        for (const auto& line : script.commands) run_line(line);
        return commands_;
    }

private:
    void run_line(const ScriptLine& line) {
        const Command c = classify_command(line);
        switch (c.kind) {
            case CommandKind::NotNetsh:
            case CommandKind::OtherNetsh:
                if (line.start().line == last_note_line_) return;
                last_note_line_ = line.start().line;
                d_.note(code::not_a_command, line.start(),
                        fmt::format("'{}' is not a netsh advfirewall command; ignored", shorten(line.text)));
                return;
            case CommandKind::LegacyIpsec:
                d_.warning(code::legacy_command, line.start(),
                           "a legacy `netsh ipsec` command in a connection security script: it is not imported "
                           "here; import this file with --format netsh as well");
                return;
            default: break;
        }
        ++commands_;
        const SourceLocation where = line.start();
        switch (c.kind) {
            case CommandKind::ConsecAddRule: return add_rule(line, c);
            case CommandKind::ConsecDeleteRule: return delete_rule(line, c);
            case CommandKind::ConsecShow:
                d_.note(code::no_effect, where, fmt::format("'{}' only shows rules; no change", c.words));
                return;
            case CommandKind::ConsecSetRule:
            case CommandKind::ConsecOther:
                d_.error(code::unsupported_command, where,
                         fmt::format("'{}' is not imported (winipsec reads `consec add rule` and `consec delete "
                                     "rule`); write the rule as it ends up with `add rule` instead",
                                     c.words));
                return;
            case CommandKind::SetStore:
                d_.note(code::store, where,
                        fmt::format("'{}': Windows keeps the rules in that store; winipsec gathers them in policy "
                                    "'{}'",
                                    shorten(line.text), policy_name));
                return;
            case CommandKind::SetGlobalMainMode: return main_mode(line, c);
            case CommandKind::SetGlobalOther:
                d_.warning(code::global_ignored, where,
                           fmt::format("'{}' changes a global setting winipsec does not import; check its effect "
                                       "by hand",
                                       shorten(line.text)));
                return;
            case CommandKind::OtherAdvfirewall:
                d_.warning(code::not_ipsec, where,
                           fmt::format("'{}' is firewall configuration, not a connection security rule; not "
                                       "imported",
                                       c.words));
                return;
            default: return;
        }
    }

    // The tag=value arguments of a command, or nullopt after reporting why
    // netsh would reject the command.
    std::optional<std::vector<RuleOption>> options(const ScriptLine& line, const Command& c) {
        std::vector<RuleOption> out;
        bool ok = true;
        for (const auto& t : lex(line, c.arguments, line.text.size())) {
            if (t.unterminated_quote) {
                d_.error(code::unterminated_quote, t.at,
                         fmt::format("a quote opened here is never closed; the command is not imported"));
                ok = false;
                continue;
            }
            if (!t.tagged) {
                d_.error(
                    code::untagged, t.at,
                    fmt::format("'{}' has no tag (netsh expects tag=value); the command is not imported", t.value));
                ok = false;
                continue;
            }
            out.push_back({lower(t.tag), t.value, t.at, t.value_at});
        }
        if (!ok) return std::nullopt;
        return out;
    }

    void add_rule(const ScriptLine& line, const Command& c) {
        const auto opts = options(line, c);
        if (!opts) return;
        if (const auto rule = read_rule(*opts, line.start(), d_)) policy_.add_rule(*rule);
    }

    void delete_rule(const ScriptLine& line, const Command& c) {
        const auto opts = options(line, c);
        if (!opts) return;
        const RuleOption* name = nullptr;
        for (const auto& o : *opts) {
            if (o.tag == "name") {
                name = &o;
                continue;
            }
            // endpoint1=, port1=, ... narrow the deletion to some rules of that name.
            d_.error(code::unsupported, o.at,
                     fmt::format("`delete rule` with {}= (deleting only matching rules) is not imported; the command "
                                 "is not applied",
                                 o.tag));
            return;
        }
        if (!name) {
            d_.error(code::missing_tag, line.start(), "`consec delete rule` needs name=; the command is not applied");
            return;
        }
        policy_.delete_rules(name->value, line.start());
    }

    // `set global mainmode mmsecmethods dhgroup14:aes256-sha256,...` (netsh
    // writes these without `=`; `tag=value` is accepted too).
    void main_mode(const ScriptLine& line, const Command& c) {
        const auto tokens = lex(line, c.arguments, line.text.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string tag = tokens[i].tag, value = tokens[i].value;
            SourceLocation at = tokens[i].at, value_at = tokens[i].value_at;
            if (!tokens[i].tagged) {
                tag = tokens[i].value;
                if (i + 1 >= tokens.size() || tokens[i + 1].tagged) {
                    d_.error(code::bad_value, at, fmt::format("'{}' has no value; not applied", tag));
                    continue;
                }
                value = tokens[++i].value;
                value_at = tokens[i].value_at;
            }
            main_mode_setting(lower(tag), value, at, value_at);
        }
    }

    void main_mode_setting(const std::string& tag, const std::string& value, const SourceLocation& at,
                           const SourceLocation& value_at) {
        if (tag == "mmsecmethods") {
            if (iequals(value, "default")) return policy_.set_main_mode_offers(default_main_mode_offers(), at);
            auto offers = parse_main_mode_methods(value);
            if (offers) return policy_.set_main_mode_offers(std::move(*offers), at);
            if (offers.error().kind == ValueError::Kind::Unsupported)
                d_.error(code::unsupported, at,
                         fmt::format("mmsecmethods={}: {}; the main-mode offers stay as they were", value,
                                     offers.error().message));
            else
                d_.error(code::bad_value, value_at, fmt::format("mmsecmethods={}: {}", value, offers.error().message));
            return;
        }
        if (tag == "mmkeylifetime") {
            // "480min,0sess"
            unsigned minutes = 0, sessions = 0;
            char tail = 0;
            if (std::sscanf(lower(value).c_str(), "%umin,%usess%c", &minutes, &sessions, &tail) == 2 &&
                minutes < 0xFFFFFFFFu / 60)
                return policy_.set_main_mode_lifetime(minutes * 60, sessions, at);
            d_.error(code::bad_value, value_at, fmt::format("mmkeylifetime={}: expected Nmin,Nsess", value));
            return;
        }
        if (tag == "mmforcedh") {
            // Legacy main mode always runs a Diffie-Hellman exchange.
            d_.note(code::no_effect, at, "mmforcedh: legacy main mode always uses Diffie-Hellman; nothing to import");
            return;
        }
        d_.error(code::unknown_tag, at,
                 fmt::format("'{}' is not a setting of `set global mainmode` (mmsecmethods, mmkeylifetime, "
                             "mmforcedh); not applied",
                             tag));
    }

    ConsecPolicy& policy_;
    Diagnostics& d_;
    std::size_t commands_ = 0;
    int last_note_line_ = 0;
};

}  // namespace

std::size_t run_script(const BatchScript& script, ConsecPolicy& policy, Diagnostics& diagnostics) {
    return ScriptRunner(policy, diagnostics).run(script);
}

}  // namespace winipsec::consec
