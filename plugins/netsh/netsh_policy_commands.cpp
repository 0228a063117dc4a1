// add/set/delete policy, set store, set batch, delete all, exportpolicy,
// importpolicy (spec §4.2, defaults §4.4).
#include <algorithm>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_spelling.hpp"
#include "plugins/netsh/netsh_values.hpp"

namespace winipsec::netsh {
namespace {

// Minutes that still fit the blob's 32-bit seconds.
constexpr std::uint32_t max_minutes = 0xFFFFFFFFu / 60;
constexpr std::uint32_t max_count = 0xFFFFFFFFu;

auto number(std::uint32_t min, std::uint32_t max) {
    return [min, max](std::string_view t) { return parse_number(t, min, max); };
}

void assign(PolicyStore& store, Policy& policy) {
    // Only one policy is assigned at a time (spec §1).
    for (auto& p : store.policies)
        if (p.origin == Origin::Static) p.assigned = false;
    policy.assigned = true;
}

Policy* find_policy(ValueReader& values, PolicyStore& store) {
    if (const Token* guid = values.token("guid")) {
        for (auto& p : store.policies)
            if (p.origin == Origin::Static && !p.guid.empty() && iequals(p.guid, guid->value)) return &p;
        values.diagnostics().error("E-NETSH-NO-SUCH-POLICY", guid->value_at,
                                   fmt::format("no policy has guid {}", guid->value));
        return nullptr;
    }
    const Token* name = values.token("name");
    if (Policy* p = store.find_policy(name->value)) return p;
    values.diagnostics().error("E-NETSH-NO-SUCH-POLICY", name->value_at,
                               fmt::format("no policy named '{}' exists at this point{}", name->value,
                                           did_you_mean(closest(name->value, policy_names(store)))));
    return nullptr;
}

struct PolicyFields {
    std::optional<std::string> description;
    std::optional<bool> mmpfs, activatedefaultrule, assign;
    std::optional<std::uint32_t> qmpermm, mmlifetime, pollinginterval;
    std::optional<std::vector<MainModeOffer>> mmsecmethods;
};

PolicyFields read_policy_fields(ValueReader& v) {
    PolicyFields f;
    f.description = v.text("description");
    f.mmpfs = v.read("mmpfs", parse_bool);
    f.qmpermm = v.read("qmpermm", number(0, max_count));
    f.mmlifetime = v.read("mmlifetime", number(1, max_minutes));
    f.activatedefaultrule = v.read("activatedefaultrule", parse_bool);
    f.pollinginterval = v.read("pollinginterval", number(0, max_minutes));
    f.assign = v.read("assign", parse_bool);
    f.mmsecmethods = v.read("mmsecmethods", parse_mmsecmethods);
    return f;
}

void apply(const PolicyFields& f, Policy& p, PolicyStore& store, const SourceLocation& where) {
    if (f.description) p.description = *f.description;
    if (f.mmsecmethods) p.main_mode.offers = *f.mmsecmethods;
    if (f.mmlifetime) p.main_mode.lifetime_seconds = *f.mmlifetime * 60;  // netsh takes minutes
    if (f.qmpermm) p.main_mode.quick_modes_per_main_mode = *f.qmpermm;
    if (f.mmpfs) {
        p.main_mode.master_pfs = *f.mmpfs;
        // Master PFS means a new main mode for every quick mode (spec §4.4 [I], UI behaviour).
        if (*f.mmpfs) p.main_mode.quick_modes_per_main_mode = 1;
    }
    if (f.pollinginterval) p.polling_interval_minutes = *f.pollinginterval;
    if (f.activatedefaultrule) {
        if (Rule* r = p.default_response_rule())
            r->active = *f.activatedefaultrule;
        else
            p.rules.insert(p.rules.begin(), make_default_response_rule(where, *f.activatedefaultrule));
    }
    if (f.assign) {
        if (*f.assign)
            assign(store, p);
        else
            p.assigned = false;
    }
}

void add_policy(const Command& command, ValueReader& v, ScriptState& state, PolicyStore& store) {
    const Token* name = v.token("name");
    if (store.find_policy(name->value)) {
        v.diagnostics().error("E-NETSH-DUPLICATE-NAME", name->value_at,
                              fmt::format("a policy named '{}' already exists; netsh rejects the command (use set "
                                          "policy to change it)",
                                          name->value));
        return;
    }
    const PolicyFields fields = read_policy_fields(v);
    if (!v.ok()) return;
    Policy p;
    p.name = name->value;
    p.location = state.store_location;
    p.where = command.where;
    p.main_mode.offers = default_main_mode_offers();
    // activatedefaultrule defaults to yes (spec §4.4; ignored by Windows Vista and later).
    p.rules.push_back(make_default_response_rule(command.where, fields.activatedefaultrule.value_or(true)));
    store.policies.push_back(std::move(p));
    apply(fields, store.policies.back(), store, command.where);
}

void set_policy(const Command& command, ValueReader& v, PolicyStore& store) {
    Policy* p = find_policy(v, store);
    const Token* newname = v.token("newname");
    if (p && newname) {
        const Policy* other = store.find_policy(newname->value);
        if (other && other != p) {
            v.diagnostics().error("E-NETSH-DUPLICATE-NAME", newname->value_at,
                                  fmt::format("a policy named '{}' already exists", newname->value));
            v.fail();
        }
    }
    const PolicyFields fields = read_policy_fields(v);
    if (!p || !v.ok()) return;
    if (const Token* gpo = v.token("gponame"))
        v.diagnostics().note("N-NETSH-GPONAME-IGNORED", gpo->value_at,
                             "gponame links a domain-store policy to a group policy object; winipsec has no GPOs "
                             "and ignores it");
    if (newname) p->name = newname->value;
    apply(fields, *p, store, command.where);
}

void delete_policy(ValueReader& v, PolicyStore& store) {
    auto& ps = store.policies;
    if (v.token("all")) {
        std::erase_if(ps, [](const Policy& p) { return p.origin == Origin::Static; });
        return;
    }
    const Token* name = v.token("name");
    const auto it = std::find_if(ps.begin(), ps.end(), [&](const Policy& p) {
        return p.origin == Origin::Static && names_equal(p.name, name->value);
    });
    if (it == ps.end()) {
        v.diagnostics().note("N-NETSH-NOTHING-TO-DELETE", name->value_at,
                             fmt::format("no policy named '{}' exists at this point, so there is nothing to "
                                         "delete (Windows reports an error and the script goes on){}",
                                         name->value, did_you_mean(closest(name->value, policy_names(store)))));
        return;
    }
    // Its rules go with it; filter lists and filter actions stay (spec §4.2 [I]).
    ps.erase(it);
}

// Filter lists and actions that a dynamic policy uses are not part of the
// static store and survive `delete all`.
bool used_by_dynamic(const PolicyStore& store, std::string_view list_or_action) {
    for (const auto& p : store.policies)
        if (p.origin == Origin::Dynamic)
            for (const auto& r : p.rules)
                if (names_equal(r.filter_list, list_or_action) || names_equal(r.filter_action, list_or_action))
                    return true;
    return false;
}

}  // namespace

void run_policy_command(CommandId id, const Command& command, ValueReader& v, ScriptState& state, PolicyStore& store) {
    Diagnostics& d = v.diagnostics();
    switch (id) {
        case CommandId::AddPolicy: return add_policy(command, v, state, store);
        case CommandId::SetPolicy: return set_policy(command, v, store);
        case CommandId::DeletePolicy: return delete_policy(v, store);
        case CommandId::SetStore: {
            // Policies created after this live in that store (spec §4.2); a
            // domain assignment wins over a local one (§8.1).
            if (const auto location = v.read("location", parse_store_location)) state.store_location = *location;
            return;
        }
        case CommandId::SetBatch:
            // Only changes when netsh flushes its writes; nothing to import (spec §4.2).
            return;
        case CommandId::DeleteAll:
            std::erase_if(store.policies, [](const Policy& p) { return p.origin == Origin::Static; });
            std::erase_if(store.filter_lists, [&](const FilterList& l) { return !used_by_dynamic(store, l.name); });
            std::erase_if(store.filter_actions, [&](const FilterAction& a) { return !used_by_dynamic(store, a.name); });
            return;
        case CommandId::ExportPolicy:
            d.note("N-NETSH-EXPORTPOLICY", command.where,
                   fmt::format("exportpolicy writes the store to '{}'; it changes nothing", v.token("file")->value));
            return;
        case CommandId::ImportPolicy:
            d.warning("W-NETSH-IMPORTPOLICY", command.where,
                      fmt::format("importpolicy loads the policies in '{}', a binary .ipsec file winipsec cannot read; "
                                  "they are missing here. On the Windows machine export "
                                  "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local with regedit and "
                                  "import that .reg file instead",
                                  v.token("file")->value));
            return;
        default: return;
    }
}

}  // namespace winipsec::netsh
