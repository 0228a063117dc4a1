// Filter actions: `add filteraction` with action, qmpfs, inpass, soft and the
// quick-mode offers (spec windows-ipsec.md §4.2, §8.5, defaults §4.4).
#include <fmt/format.h>

#include "export/netsh_sections.hpp"
#include "export/netsh_value_text.hpp"

namespace winipsec::netsh_script {

std::optional<std::string> quick_mode_offers_text(const std::vector<QuickModeOffer>& offers, bool defaulted,
                                                  const SourceLocation& where, std::string_view owner,
                                                  ScriptContext& c) {
    // Given by Windows' defaults: leaving the tag out gives them again (§4.4).
    if (defaulted && offers == default_quick_mode_offers()) return std::nullopt;
    if (offers.empty()) {
        c.body.changed(where, fmt::format("{} has no quick mode offers; netsh cannot say so, and Windows will use its "
                                          "default offers",
                                          owner));
        return std::nullopt;
    }
    std::string text;
    for (const auto& offer : offers) {
        const auto spelled = quick_mode_offer_text(offer);
        if (!spelled) {
            c.body.not_written(where, fmt::format("quick mode offer {} of {}", to_string(offer), owner),
                               spelled.error());
            continue;
        }
        text += fmt::format("{}{}", text.empty() ? "" : " ", *spelled);
    }
    if (text.empty()) {
        c.body.changed(where, fmt::format("{} keeps no quick mode offer netsh can express; the script gives none, so "
                                          "Windows will use its default offers",
                                          owner));
        return std::nullopt;
    }
    return text;
}

namespace {

void write_action(const FilterAction& a, ScriptContext& c) {
    const std::string& name = c.names.filter_actions.of(&a);
    const std::string owner = fmt::format("filter action '{}'", name);
    CommandLine line("ipsec static add filteraction");
    line.quoted("name", name);
    if (!a.description.empty())
        line.quoted("description", c.body.text(a.description, a.where, "the description of " + owner));
    line.word("action", to_string(a.action));
    if (a.action == ActionKind::Negotiate) {
        // Spelled out although `no` is the default: a reviewer should not
        // need to know the defaults to see what the action lets through.
        line.flag("inpass", a.inbound_passthrough).flag("soft", a.fallback_to_clear).flag("qmpfs", a.quick_mode_pfs);
        if (const auto offers = quick_mode_offers_text(a.offers, a.offers_defaulted, a.where, owner, c))
            line.quoted("qmsecmethods", *offers);
    } else {
        // Meaningless for permit and block, but part of the store.
        if (a.inbound_passthrough) line.flag("inpass", true);
        if (a.fallback_to_clear) line.flag("soft", true);
        if (a.quick_mode_pfs) line.flag("qmpfs", true);
        if (!a.offers.empty())
            c.body.diagnostics.note("N-EXPORT-OFFERS-UNUSED", a.where,
                                    fmt::format("{} is {}: its quick mode offers have no effect and are not written",
                                                owner, to_string(a.action)));
    }
    c.body.command(line, a.where);
}

}  // namespace

void write_filter_actions(ScriptContext& c) {
    bool first = true;
    for (const auto& a : c.store.filter_actions) {
        if (c.dynamic_actions.contains(&a)) continue;
        if (first) c.body.section("filter actions");
        first = false;
        write_action(a, c);
    }
}

}  // namespace winipsec::netsh_script
