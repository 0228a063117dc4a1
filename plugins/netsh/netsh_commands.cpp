// Dispatch of one netsh command: identify it, look at its values, bind its
// tags, and hand it to the code for its subject. A command with any error is
// not applied at all, as netsh rejects it and the script carries on (§4.5).
#include <algorithm>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// A batch variable reference the batch layer could not substitute: %NAME%,
// %%i, %1, %~dp0. Windows would have put a value here that we do not know.
std::optional<std::string> batch_variable_in(std::string_view s) {
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
    return std::nullopt;
}

bool is_placeholder(std::string_view v) {
    if (v.size() > 2 && v.front() == '<' && v.back() == '>') return true;  // <PASSWORD>
    // YOUR.WSUS.HOST.NAME, YOUR_KEY: documentation text left in a script.
    return v.size() > 5 && v.starts_with("YOUR") && (v[4] == '.' || v[4] == '_' || v[4] == '-');
}

// Warnings about values that were never meant literally. Returns the
// unresolved batch variables, which keep the command from being applied.
std::vector<std::string> check_values(std::span<const Token> args, Diagnostics& d) {
    std::vector<std::string> unresolved;
    for (const Token& t : args) {
        const std::string_view v = t.value;
        const bool percent = t.tag.find('%') != std::string::npos || v.find('%') != std::string_view::npos;
        if (auto var = percent ? batch_variable_in(t.tag + "=" + t.value) : std::nullopt) {
            if (std::find(unresolved.begin(), unresolved.end(), *var) == unresolved.end()) unresolved.push_back(*var);
            continue;
        }
        if (v.size() > 1 && v.front() == '$' && (is_name_char(v[1]) || v[1] == '{'))
            d.warning("W-NETSH-SHELL-VARIABLE", t.value_at,
                      fmt::format("'{}' looks like a shell variable, which cmd.exe does not expand; netsh takes "
                                  "it literally. Replace it with the value it stands for",
                                  v));
        else if (is_placeholder(v))
            d.warning("W-NETSH-PLACEHOLDER", t.value_at,
                      fmt::format("'{}' is placeholder text from documentation; netsh takes it literally. "
                                  "Replace it with the real value",
                                  v));
    }
    return unresolved;
}

void note_dynamic_once(const Command& command, ScriptState& state, Diagnostics& d) {
    if (state.dynamic_noted) return;
    state.dynamic_noted = true;
    d.note("N-NETSH-DYNAMIC", command.where,
           "netsh ipsec dynamic changes only the running IPsec driver and is lost when the IPsec service "
           "restarts; winipsec keeps what it imports from it apart from the static store, in the dynamic "
           "policy 'netsh ipsec dynamic'");
}

const char* not_imported_reason(const CommandSpec& spec) {
    if (spec.object == "mmpolicy")
        return "dynamic main mode policies are not imported (only permit and block rules are)";
    if (spec.object == "qmpolicy")
        return "dynamic quick mode policies are not imported (only permit and block rules are)";
    if (spec.verb == "set")
        return "changes to dynamic rules are not imported; the rules keep what 'add rule' gave them";
    if (spec.verb == "delete") return "deleting single dynamic objects is not imported; the rules stay as added";
    return "it is not imported";
}

void consec_command(const Command& command, Diagnostics& d) {
    d.error("E-NETSH-CONSEC-UNSUPPORTED", command.where,
            "netsh advfirewall consec (a connection security rule) is not legacy IPsec policy: connection "
            "security rules are read by --format consec (import this file on its own with it). This command is not "
            "imported here");
    Diagnostics quiet;
    std::size_t first = 0;
    const CommandSpec* spec = identify_command(Context::Consec, command.words, command.where, first, quiet);
    if (spec && spec->id == CommandId::ConsecAddRule)
        report_unknown_tags(*spec, std::span<const Token>(command.words).subspan(first), d);
}

}  // namespace

void execute(const Command& command, ScriptState& state, PolicyStore& store, Diagnostics& d) {
    if (command.context == Context::Consec) return consec_command(command, d);
    if (command.context == Context::Dynamic) note_dynamic_once(command, state, d);
    std::size_t first = 0;
    const CommandSpec* spec = identify_command(command.context, command.words, command.where, first, d);
    if (!spec) return;
    const auto args = std::span<const Token>(command.words).subspan(first);
    if (spec->id == CommandId::Show || spec->id == CommandId::DynamicShow) {
        d.note("N-NETSH-SHOW-IGNORED", command.where,
               fmt::format("'{}' only displays the store; nothing to import", spec->title()));
        return;
    }
    if (spec->id == CommandId::DynamicNotImported) {
        d.warning("W-NETSH-DYNAMIC-NOT-IMPORTED", command.where,
                  fmt::format("netsh ipsec dynamic {}: {}", spec->title(), not_imported_reason(*spec)));
        return;
    }
    const auto unresolved = check_values(args, d);
    const auto bound = bind_arguments(*spec, args, command.where, d);
    if (!bound) return;
    if (!unresolved.empty()) {
        std::string names;
        for (const auto& u : unresolved) names += fmt::format("{}{}", names.empty() ? "" : ", ", u);
        d.warning("W-NETSH-UNRESOLVED-VARIABLE", command.where,
                  fmt::format("'{}' is not applied: it uses {}, whose value is not known here (a loop variable, a "
                              "subroutine parameter or a variable the script never sets). Give it with "
                              "--define NAME=VALUE",
                              spec->title(), names));
        return;
    }
    ValueReader values(*bound, d);
    switch (spec->id) {
        case CommandId::AddPolicy:
        case CommandId::SetPolicy:
        case CommandId::DeletePolicy:
        case CommandId::SetStore:
        case CommandId::SetBatch:
        case CommandId::DeleteAll:
        case CommandId::ExportPolicy:
        case CommandId::ImportPolicy: return run_policy_command(spec->id, command, values, state, store);
        case CommandId::AddFilterList:
        case CommandId::SetFilterList:
        case CommandId::DeleteFilterList:
        case CommandId::AddFilter:
        case CommandId::DeleteFilter: return run_filter_command(spec->id, command, values, store);
        case CommandId::AddFilterAction:
        case CommandId::SetFilterAction:
        case CommandId::DeleteFilterAction:
        case CommandId::AddRule:
        case CommandId::SetRule:
        case CommandId::DeleteRule:
        case CommandId::SetDefaultRule: return run_rule_command(spec->id, command, values, store);
        case CommandId::DynamicAddRule:
        case CommandId::DynamicSetConfig:
        case CommandId::DynamicDeleteAll: return run_dynamic_command(spec->id, command, values, store);
        case CommandId::Show:
        case CommandId::DynamicShow:
        case CommandId::DynamicNotImported:
        case CommandId::ConsecAddRule:
        case CommandId::ConsecOther: return;
    }
}

bool filter_list_in_use(const PolicyStore& store, std::string_view name) {
    for (const auto& p : store.policies)
        for (const auto& r : p.rules)
            if (!r.default_response && names_equal(r.filter_list, name)) return true;
    return false;
}

bool filter_action_in_use(const PolicyStore& store, std::string_view name) {
    for (const auto& p : store.policies)
        for (const auto& r : p.rules)
            if (!r.default_response && names_equal(r.filter_action, name)) return true;
    return false;
}

std::vector<std::string> policy_names(const PolicyStore& store, Origin origin) {
    std::vector<std::string> out;
    for (const auto& p : store.policies)
        if (p.origin == origin) out.push_back(p.name);
    return out;
}

std::vector<std::string> filter_list_names(const PolicyStore& store) {
    std::vector<std::string> out;
    for (const auto& l : store.filter_lists) out.push_back(l.name);
    return out;
}

std::vector<std::string> filter_action_names(const PolicyStore& store) {
    std::vector<std::string> out;
    for (const auto& a : store.filter_actions) out.push_back(a.name);
    return out;
}

}  // namespace winipsec::netsh
