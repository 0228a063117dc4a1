// Rules: `add rule` binding a filter list to a filter action in a policy,
// with tunnel endpoint, connection type, activation and authentication
// (spec windows-ipsec.md §4.2, §8.6).
#include <fmt/format.h>

#include "export/netsh_quoting.hpp"
#include "export/netsh_sections.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {
namespace {

// Placeholder for a key the caller did not ask to see. netsh accepts it, so a
// script run unedited fails closed (IKE with the wrong key negotiates
// nothing), and winipsec's importer warns about the <...> placeholder.
constexpr std::string_view redacted_key = "<REDACTED>";

std::string root_ca_value(const AuthMethod& m, std::string_view owner, ScriptContext& c) {
    CarriedText ca = carry_root_ca(m.certificate_ca);
    if (!ca.changes.empty()) {
        std::string why;
        for (const auto& change : ca.changes) why += fmt::format("{}{}", why.empty() ? "" : ", ", change);
        c.body.diagnostics.warning("W-EXPORT-TEXT-CHANGED", m.where,
                                   fmt::format("the root CA name of {}: {}", owner, why));
    }
    c.body.check_hazards(ca.text, m.where, fmt::format("the root CA name of {}", owner));
    // Both options always: netsh reads them off the end of the value, so
    // writing them keeps a CA name that ends in "certmap:yes" intact [I].
    return fmt::format("{} certmap:{} excludecaname:{}", ca.text, yes_no(m.certificate_map), yes_no(m.exclude_ca_name));
}

std::string preshared_key_value(const AuthMethod& m, std::string_view owner, ScriptContext& c) {
    if (!c.body.options.show_secrets) {
        c.body.diagnostics.warning("W-EXPORT-PSK-REDACTED", m.where,
                                   fmt::format("the pre-shared key of {} is written as \"{}\": the script will not "
                                               "recreate the key. Put it in by hand, or write the script with "
                                               "--show-secrets",
                                               owner, redacted_key));
        return std::string(redacted_key);
    }
    CarriedText key = carry_text(m.preshared_key.reveal());
    if (!key.changes.empty())
        // The message must not show the key.
        c.body.diagnostics.warning("W-EXPORT-TEXT-CHANGED", m.where,
                                   fmt::format("the pre-shared key of {} holds characters a netsh command line cannot "
                                               "carry; the key written differs from the real one. Set it on Windows "
                                               "by hand",
                                               owner));
    c.body.check_hazards(key.text, m.where, fmt::format("the pre-shared key of {}", owner), true);
    return std::move(key.text);
}

void write_rule(const Policy& p, const Rule& r, ScriptContext& c) {
    const std::string& policy = c.names.policies.of(&p);
    const std::string& name = c.names.rules.at(&p).of(&r);
    const std::string what = fmt::format("rule '{}' of policy '{}'", name, policy);
    const FilterList* list = c.list_of(r);
    const FilterAction* action = c.action_of(r);
    // netsh refuses a rule whose list or action does not exist; Windows
    // skips such a rule of a stored policy (check_store reports it).
    if (!list)
        return c.body.not_written(r.where, what, fmt::format("its filter list '{}' does not exist", r.filter_list));
    if (!action)
        return c.body.not_written(r.where, what, fmt::format("its filter action '{}' does not exist", r.filter_action));
    CommandLine line("ipsec static add rule");
    line.quoted("name", name)
        .quoted("policy", policy)
        .quoted("filterlist", c.names.filter_lists.of(list))
        .quoted("filteraction", c.names.filter_actions.of(action));
    if (!r.description.empty())
        line.quoted("description", c.body.text(r.description, r.where, "the description of " + what));
    if (r.tunnel_endpoint) {
        const auto tunnel = tunnel_text(*r.tunnel_endpoint);
        // Without its endpoint the rule would be a transport rule: another meaning.
        if (!tunnel) return c.body.not_written(r.where, what, tunnel.error());
        line.word("tunnel", *tunnel);
    }
    line.word("conntype", to_string(r.connection_type)).flag("activate", r.active);
    append_authentication(line, r, what, c);
    c.body.command(line, r.where);
}

}  // namespace

void append_authentication(CommandLine& line, const Rule& r, std::string_view owner, ScriptContext& c) {
    // No method given: Windows' dynamic default, which netsh gives again when
    // no method is named (spec §4.4).
    if (r.authentication_defaulted) return;
    if (r.authentication.empty()) {
        c.body.changed(r.where, fmt::format("{} has no authentication method; netsh cannot say so, and Windows will "
                                            "use its default, Kerberos",
                                            owner));
        return;
    }
    bool kerberos = false, psk = false;
    for (const AuthMethod& m : r.authentication) {
        switch (m.kind) {
            case AuthKind::Kerberos:
                // kerberos= and psk= may each appear once on a netsh line.
                if (kerberos) {
                    c.body.not_written(m.where, fmt::format("a second Kerberos method of {}", owner),
                                       "netsh takes kerberos= once per rule");
                    break;
                }
                kerberos = true;
                line.flag("kerberos", true);
                break;
            case AuthKind::PresharedKey:
                if (psk) {
                    c.body.not_written(m.where, fmt::format("a second pre-shared key of {}", owner),
                                       "netsh takes psk= once per rule");
                    break;
                }
                psk = true;
                line.quoted("psk", preshared_key_value(m, owner, c));
                break;
            case AuthKind::Certificate: line.quoted("rootca", root_ca_value(m, owner, c)); break;
        }
    }
}

void write_rules(ScriptContext& c) {
    for (const auto& p : c.store.policies) {
        if (p.origin != Origin::Static) continue;
        bool first = true;
        for (const auto& r : p.rules) {
            if (r.default_response) continue;
            if (first) c.body.section(fmt::format("rules of policy '{}'", c.names.policies.of(&p)));
            first = false;
            write_rule(p, r, c);
        }
    }
}

}  // namespace winipsec::netsh_script
