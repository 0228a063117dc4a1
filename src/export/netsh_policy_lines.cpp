// Policies: `add policy` with the main-mode settings and the default response
// rule's switch, `set defaultrule` when that rule differs from Windows'
// defaults, and the assignment at the very end (spec windows-ipsec.md §4.2,
// §8.7, §8.9, defaults §4.4).
#include <fmt/format.h>

#include "export/netsh_sections.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {
namespace {

// netsh takes minutes that still fit the blob's 32-bit seconds.
constexpr std::uint32_t max_minutes = 0xFFFFFFFFu / 60;

std::optional<std::string> main_mode_offers_text(const Policy& p, const std::string& owner, ScriptContext& c) {
    std::string text;
    for (const auto& offer : p.main_mode.offers) {
        const auto spelled = main_mode_offer_text(offer);
        if (!spelled) {
            c.body.not_written(p.where, fmt::format("main mode offer {} of {}", to_string(offer), owner),
                               spelled.error());
            continue;
        }
        text += fmt::format("{}{}", text.empty() ? "" : " ", *spelled);
    }
    if (text.empty()) {
        c.body.changed(p.where, fmt::format("{} keeps no main mode offer netsh can express; the script gives none, so "
                                            "Windows will use its default offers",
                                            owner));
        return std::nullopt;
    }
    return text;
}

std::uint32_t lifetime_minutes(const Policy& p, const std::string& owner, ScriptContext& c) {
    const std::uint32_t seconds = p.main_mode.lifetime_seconds;
    const std::uint32_t minutes = std::max<std::uint32_t>(1, (seconds + 30) / 60);
    if (seconds % 60 != 0 || seconds == 0)
        c.body.changed(p.where, fmt::format("{} has a main mode lifetime of {} seconds; netsh takes whole minutes, so "
                                            "the script says {} minute{}",
                                            owner, seconds, minutes, minutes == 1 ? "" : "s"));
    return minutes;
}

void write_policy(const Policy& p, ScriptContext& c) {
    const std::string& name = c.names.policies.of(&p);
    const std::string owner = fmt::format("policy '{}'", name);
    if (p.location != StoreLocation::Local)
        c.body.diagnostics.warning(
            "W-EXPORT-STORE-LOCATION", p.where,
            fmt::format("{} is in the {} store; the script writes it to the local store, because each netsh in a "
                        "batch file starts on the local store. To put it in a group policy, run its lines in one "
                        "`netsh -f` script after `set store location=domain`",
                        owner, to_string(p.location)));
    const Rule* default_rule = p.default_response_rule();
    CommandLine line("ipsec static add policy");
    line.quoted("name", name);
    if (!p.description.empty())
        line.quoted("description", c.body.text(p.description, p.where, "the description of " + owner));
    // Master PFS makes netsh set one quick mode per main mode (spec §4.4 [I]).
    if (p.main_mode.master_pfs && p.main_mode.quick_modes_per_main_mode != 1)
        c.body.changed(p.where, fmt::format("{} has master PFS with {} quick modes per main mode; netsh sets 1 with "
                                            "mmpfs=yes",
                                            owner, p.main_mode.quick_modes_per_main_mode));
    line.flag("mmpfs", p.main_mode.master_pfs)
        .number("qmpermm", p.main_mode.quick_modes_per_main_mode)
        .number("mmlifetime", lifetime_minutes(p, owner, c));
    if (!default_rule)
        c.body.diagnostics.note("N-EXPORT-NO-DEFAULT-RULE", p.where,
                                fmt::format("{} has no default response rule; netsh gives every policy one, so the "
                                            "script switches it off (activatedefaultrule=no)",
                                            owner));
    line.flag("activatedefaultrule", default_rule && default_rule->active);
    std::uint32_t polling = p.polling_interval_minutes;
    if (polling > max_minutes) {
        c.body.changed(p.where,
                       fmt::format("{} polls every {} minutes; netsh takes at most {}", owner, polling, max_minutes));
        polling = max_minutes;
    }
    line.number("pollinginterval", polling);
    if (!p.main_mode.offers.empty()) {
        if (const auto offers = main_mode_offers_text(p, owner, c)) line.quoted("mmsecmethods", *offers);
    } else {
        c.body.changed(p.where, fmt::format("{} has no main mode offers; netsh cannot say so, and Windows will use "
                                            "its default offers",
                                            owner));
    }
    c.body.command(line, p.where);
}

// The default response rule as netsh makes it: Windows' default offers, no
// PFS, Kerberos (make_default_response_rule). Only what differs is set.
void write_default_rule(const Policy& p, ScriptContext& c) {
    const Rule* r = p.default_response_rule();
    if (!r || !r->default_response_action) return;
    const FilterAction& a = *r->default_response_action;
    const std::string owner = fmt::format("the default response rule of policy '{}'", c.names.policies.of(&p));
    CommandLine line("ipsec static set defaultrule");
    line.quoted("policy", c.names.policies.of(&p));
    bool differs = false;
    if (a.quick_mode_pfs) {
        line.flag("qmpfs", true);
        differs = true;
    }
    if (const auto offers = quick_mode_offers_text(a.offers, a.offers_defaulted, a.where, owner, c)) {
        line.quoted("qmsecmethods", *offers);
        differs = true;
    }
    const std::size_t before = line.text().size();
    append_authentication(line, *r, owner, c);
    differs |= line.text().size() != before;
    if (differs) c.body.command(line, r->where);
}

}  // namespace

void write_policies(ScriptContext& c) {
    for (const auto& p : c.store.policies) {
        if (p.origin != Origin::Static) continue;
        c.body.section(fmt::format("policy '{}'", c.names.policies.of(&p)));
        write_policy(p, c);
        write_default_rule(p, c);
    }
}

void write_assignment(ScriptContext& c) {
    // Only one policy is assigned at a time; a domain assignment wins over a
    // local one (spec §1, §8.1). The script assigns the one Windows enforced.
    const Policy* assigned = c.store.assigned_policy();
    if (!assigned) return;
    for (const auto& p : c.store.policies)
        if (p.origin == Origin::Static && p.assigned && &p != assigned)
            c.body.changed(p.where, fmt::format("policy '{}' is marked assigned, but '{}' overrides it; netsh "
                                                "assigns one policy at a time, so the script assigns only '{}'",
                                                p.name, assigned->name, assigned->name));
    c.body.section("assignment: from here on Windows enforces the policy");
    CommandLine line("ipsec static set policy");
    line.quoted("name", c.names.policies.of(assigned)).flag("assign", true);
    c.body.command(line, assigned->where);
}

}  // namespace winipsec::netsh_script
