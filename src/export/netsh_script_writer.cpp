// The script as a whole: which objects go where, their names, the header an
// administrator reads first, and the line ends.
#include "export/netsh_script_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "export/netsh_quoting.hpp"
#include "export/netsh_sections.hpp"

namespace winipsec {
namespace {

using netsh_script::ScriptBody;
using netsh_script::ScriptContext;

bool referenced_by(const PolicyStore& store, Origin origin, const auto& object, std::string Rule::*reference) {
    for (const auto& p : store.policies)
        if (p.origin == origin)
            for (const auto& r : p.rules)
                if (!r.default_response && names_equal(r.*reference, object.name)) return true;
    return false;
}

// Lists and actions of dynamic rules have no netsh static counterpart: netsh
// ipsec dynamic takes the filter and the action on the rule itself.
void find_dynamic_objects(ScriptContext& c) {
    for (const auto& l : c.store.filter_lists)
        if (referenced_by(c.store, Origin::Dynamic, l, &Rule::filter_list) &&
            !referenced_by(c.store, Origin::Static, l, &Rule::filter_list))
            c.dynamic_lists.insert(&l);
    for (const auto& a : c.store.filter_actions)
        if (referenced_by(c.store, Origin::Dynamic, a, &Rule::filter_action) &&
            !referenced_by(c.store, Origin::Static, a, &Rule::filter_action))
            c.dynamic_actions.insert(&a);
}

void name_objects(ScriptContext& c) {
    for (const auto& p : c.store.policies) {
        if (p.origin != Origin::Static) continue;
        c.names.policies.add(&p, p.name, p.where, c.body);
        auto& rules = c.names.rules.try_emplace(&p, "rule of policy '" + p.name + "'").first->second;
        for (const auto& r : p.rules)
            if (!r.default_response) rules.add(&r, r.name, r.where, c.body);
    }
    for (const auto& l : c.store.filter_lists)
        if (!c.dynamic_lists.contains(&l)) c.names.filter_lists.add(&l, l.name, l.where, c.body);
    for (const auto& a : c.store.filter_actions)
        if (!c.dynamic_actions.contains(&a)) c.names.filter_actions.add(&a, a.name, a.where, c.body);
}

bool has_guids(const PolicyStore& store) {
    const auto guid = [](const auto& x) { return !x.guid.empty(); };
    return std::any_of(store.policies.begin(), store.policies.end(),
                       [&](const Policy& p) { return guid(p) || std::any_of(p.rules.begin(), p.rules.end(), guid); }) ||
           std::any_of(store.filter_lists.begin(), store.filter_lists.end(), guid) ||
           std::any_of(store.filter_actions.begin(), store.filter_actions.end(), guid);
}

bool has_psk(const PolicyStore& store) {
    for (const auto& p : store.policies)
        for (const auto& r : p.rules)
            for (const auto& a : r.authentication)
                if (a.kind == AuthKind::PresharedKey) return true;
    return false;
}

std::vector<std::string> header(const PolicyStore& store, const NetshScriptOptions& options,
                                const std::vector<std::string>& body_lines) {
    Diagnostics unused;  // the header is comments only
    ScriptBody h(options, unused);
    h.comment(fmt::format("Windows IPsec policy written as netsh commands by {}", options.generator));
    if (!options.sources.empty()) {
        h.comment("from:");
        for (const auto& s : options.sources) h.comment("  " + s);
    }
    h.comment("");
    h.comment("Review it, then run it in cmd.exe as Administrator on the Windows machine (saved as a");
    h.comment(".cmd file). It only adds objects, so none of its names may exist in the target store");
    h.comment(store.assigned_policy() ? "yet. The policy is assigned by the last line, once all of its rules exist."
                                      : "yet. It assigns no policy: none was assigned.");
    const auto dropped = std::count_if(body_lines.begin(), body_lines.end(),
                                       [](const std::string& l) { return l.starts_with("rem NOT WRITTEN"); });
    if (dropped > 0)
        h.comment(fmt::format("{} thing{} of the store could not be written: see the NOT WRITTEN lines.", dropped,
                              dropped == 1 ? "" : "s"));
    if (has_psk(store))
        h.comment(options.show_secrets
                      ? "It holds pre-shared keys in clear text: keep it as secret as the keys."
                      : "Pre-shared keys are written as \"<REDACTED>\": put the real keys in before running it.");
    if (has_guids(store)) h.comment("GUIDs of the original objects are not kept: netsh gives every object a new one.");
    std::vector<std::string> out = h.lines();
    if (std::any_of(body_lines.begin(), body_lines.end(),
                    [](const std::string& l) { return netsh_script::has_non_ascii(l); })) {
        // cmd.exe reads a batch file in the console's code page; names
        // outside ASCII survive only when that is UTF-8.
        out.emplace_back("rem Some names are not ASCII: code page 65001 makes cmd.exe read them as UTF-8.");
        out.emplace_back("chcp 65001 >nul");
    }
    return out;
}

}  // namespace

std::string write_netsh_script(const PolicyStore& store, const NetshScriptOptions& options, Diagnostics& diagnostics) {
    ScriptBody body(options, diagnostics);
    ScriptContext c{store, body, {}, {}, {}};
    find_dynamic_objects(c);
    name_objects(c);
    netsh_script::write_filter_lists(c);
    netsh_script::write_filter_actions(c);
    netsh_script::write_policies(c);
    netsh_script::write_rules(c);
    netsh_script::write_dynamic(c);
    netsh_script::write_assignment(c);
    if (has_guids(store))
        diagnostics.note("N-EXPORT-GUIDS", {},
                         "the store's GUIDs are not written: netsh has no way to set them and gives every object a "
                         "new one; rules still find their filter lists and actions by name");
    if (body.lines().empty())
        diagnostics.warning("W-EXPORT-EMPTY", {},
                            "the store holds no policy, filter list or filter action: the netsh "
                            "script has no commands");

    std::string script;
    for (const auto& line : header(store, options, body.lines())) script += line + "\r\n";
    for (const auto& line : body.lines()) script += line + "\r\n";
    return script;
}

}  // namespace winipsec
