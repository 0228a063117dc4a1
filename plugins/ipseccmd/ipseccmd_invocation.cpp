#include "plugins/ipseccmd/ipseccmd_invocation.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "plugins/ipseccmd/ipseccmd_codes.hpp"

namespace winipsec::ipseccmd {

bool Invocation::has_default_spec() const {
    for (const auto& f : filters)
        if (f.kind == SpecKind::Default) return true;
    return false;
}

namespace {

bool is_loopback(std::string_view computer) {
    // \\127.0.0.1 (corpus #26), \\localhost and \\. name this computer.
    const std::string name = ascii_lower(computer.substr(2));
    return name == "127.0.0.1" || name == "localhost" || name == ".";
}

// -w REG | DS | DS:domain (spec §6.1), any case.
bool read_store(const SwitchArgument& w, Invocation& inv, Diagnostics& diagnostics) {
    const std::string& value = w.values[0].text;
    if (iequals(value, "REG")) {
        inv.location = StoreLocation::Local;
        return true;
    }
    // The domain of DS:domain is not kept: the model has one domain store.
    if (iequals(value, "DS") || istarts_with(value, "DS:")) {
        inv.location = StoreLocation::Domain;
        return true;
    }
    diagnostics.error(code::bad_store, w.values[0].at(0),
                      fmt::format("'-w {}': the store is REG (this computer's registry) or DS[:domain] (Active "
                                  "Directory)",
                                  value));
    return false;
}

// -p name[:minutes]: the suffix after the last ':' is the polling interval
// when it is a number (corpus #96 `-p ipsec:1`).
bool read_policy(const SwitchArgument& p, Invocation& inv, Diagnostics& diagnostics) {
    const Word& value = p.values[0];
    std::string name = value.text;
    const auto colon = name.rfind(':');
    if (colon != std::string::npos && all_digits(std::string_view(name).substr(colon + 1))) {
        const auto minutes = parse_number(std::string_view(name).substr(colon + 1), 43200);
        if (!minutes) {
            diagnostics.error(
                code::bad_policy_name, value.at(colon + 1),
                fmt::format("polling interval '{}' is out of range (minutes, at most 43200)", name.substr(colon + 1)));
            return false;
        }
        // 0 is stored as "not set", which Windows reads as 180 minutes (§4.4).
        inv.polling_minutes = *minutes == 0 ? 180 : *minutes;
        name.resize(colon);
    }
    if (name.empty()) {
        diagnostics.error(code::bad_policy_name, value.at(0), "the policy name is empty");
        return false;
    }
    inv.policy = NameAt{name, value.at(0)};
    return true;
}

}  // namespace

std::optional<Invocation> interpret(const RawInvocation& raw, Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    Invocation inv;
    inv.where = raw.where();

    if (raw.computer && !is_loopback(raw.computer->text))
        diagnostics.warning(code::remote_computer, raw.computer->at(0),
                            fmt::format("this command configured the computer {}; it is imported as if it had run on "
                                        "the computer being translated",
                                        raw.computer->text));

    if (const auto* w = raw.last("w")) {
        inv.static_mode = true;
        read_store(*w, inv, diagnostics);
    }

    // Switches that only mean something in static mode (§6.1).
    if (!inv.static_mode) {
        std::vector<std::string> ignored;
        std::optional<SourceLocation> first;
        for (const auto& s : raw.switches)
            if (s.name == "p" || s.name == "r" || s.name == "x" || s.name == "y" || s.name == "o") {
                if (std::find(ignored.begin(), ignored.end(), s.word.text) == ignored.end())
                    ignored.push_back(s.word.text);
                if (!first) first = s.word.at(0);
            }
        if (first)
            diagnostics.warning(code::dynamic_mode, *first,
                                fmt::format("{} {} no effect without -w: this is dynamic mode, so the filters go into "
                                            "the running IPsec service (volatile), not into a named, assigned policy; "
                                            "add -w REG if a stored policy was meant",
                                            fmt::join(ignored, " "), ignored.size() == 1 ? "has" : "have"));
    } else {
        if (const auto* p = raw.last("p")) read_policy(*p, inv, diagnostics);
        for (const auto* r : raw.all("r")) inv.rules.push_back(NameAt{r->values[0].text, r->values[0].at(0)});
        inv.assign = raw.has("x");
        inv.unassign = raw.has("y");
        inv.remove = raw.has("o");
    }
    inv.delete_dynamic = raw.has("u");
    inv.soft = raw.has("soft");
    inv.master_pfs = raw.has("1p");

    const auto* f_first = raw.last("f");
    if (f_first) {
        inv.has_filters = true;
        std::vector<Word> values;
        for (const auto* f : raw.all("f")) values.insert(values.end(), f->values.begin(), f->values.end());
        if (auto specs = parse_filter_list(values, diagnostics)) inv.filters = std::move(*specs);
    }
    if (const auto* n = raw.last("n")) {
        inv.negotiation_where = n->word.at(0);
        inv.negotiation = parse_negotiation_list(n->values, diagnostics);
    }
    if (const auto* a = raw.last("a")) inv.authentication = parse_auth_list(a->values, diagnostics);
    if (const auto* t = raw.last("t")) inv.tunnel = parse_tunnel_endpoint(t->values[0], diagnostics);
    if (const auto* s = raw.last("1s")) inv.main_mode_offers = parse_main_mode_list(s->values, diagnostics);
    if (const auto* k = raw.last("1k")) inv.main_mode_rekey = parse_main_mode_rekey(k->values[0], diagnostics);
    for (const char* name : {"1e", "1f"})
        if (const auto* s = raw.last(name))
            diagnostics.warning(code::ignored_switch, s->word.at(0),
                                fmt::format("{} is ignored: {}", s->word.text,
                                            std::string_view(name) == "1e"
                                                ? "winipsec keeps no soft-SA expiration time"
                                                : "winipsec derives main-mode filters from the quick-mode filters"));

    const bool dialup = raw.has("dialup"), lan = raw.has("lan");
    if (dialup && lan)
        diagnostics.error(code::conflicting_switches, raw.last("lan")->word.at(0),
                          "-dialup and -lan exclude each other: a rule has one connection type");
    else if (dialup)
        inv.connection = ConnectionType::Dialup;
    else if (lan)
        inv.connection = ConnectionType::Lan;

    if (inv.assign && inv.unassign)
        diagnostics.error(code::conflicting_switches, raw.last("y")->word.at(0),
                          "-x assigns the policy and -y un-assigns it; give one of them");
    if (inv.remove && inv.has_filters)
        diagnostics.error(code::conflicting_switches, raw.last("o")->word.at(0),
                          "-o deletes and -f creates; run them as two commands");
    if (inv.remove && inv.assign)
        diagnostics.error(code::conflicting_switches, raw.last("o")->word.at(0),
                          "-o deletes the policy (or rules) and -x assigns it; run them as two commands");
    if (inv.has_filters && inv.rules.size() > 1)
        diagnostics.error(code::conflicting_switches, inv.rules[1].where,
                          "one invocation creates one rule: give a single -r with -f (several -r go with -o)");

    if (inv.static_mode) {
        for (const auto& spec : inv.filters)
            if (spec.kind == SpecKind::Block || spec.kind == SpecKind::Pass)
                diagnostics.error(code::bracket_static, spec.word.at(0),
                                  fmt::format("'{}': {} filters are a dynamic-mode form (§6.2); with -w put the filter "
                                              "in its own rule with -n {}",
                                              spec.word.text, spec.kind == SpecKind::Block ? "[block]" : "(pass)",
                                              spec.kind == SpecKind::Block ? "BLOCK" : "PASS"));
        if ((inv.has_filters || inv.assign || inv.unassign || inv.remove) && !inv.policy && !raw.has("p"))
            diagnostics.error(code::missing_policy, raw.last("w")->word.at(0),
                              "static mode (-w) needs the policy name: -p \"name\"");
        if (!inv.has_filters && !inv.assign && !inv.unassign && !inv.remove && !inv.delete_dynamic)
            diagnostics.error(code::missing_filters, inv.where,
                              "nothing to do: give filters with -f, or -x / -y / -o to assign, un-assign or delete");
        if (!inv.has_filters && !inv.remove && !inv.rules.empty())
            diagnostics.warning(code::ignored_switch, inv.rules[0].where,
                                "-r names a rule to create (with -f) or delete (with -o); here it has no effect");
    } else if (!inv.has_filters && !inv.delete_dynamic) {
        diagnostics.error(code::missing_filters, inv.where,
                          "nothing to do: dynamic mode needs filters (-f) or -u to delete the dynamic policy");
    }

    if (inv.negotiation && inv.negotiation->action != ActionKind::Negotiate) {
        if (inv.soft)
            diagnostics.warning(code::ignored_switch, raw.last("soft")->word.at(0),
                                "-soft (fall back to clear text) only applies when negotiating; ignored with "
                                "BLOCK / PASS");
        if (inv.has_default_spec())
            diagnostics.error(code::bad_negotiation, inv.negotiation_where,
                              "the default response rule (-f DEFAULT) only negotiates: give offers, not BLOCK / PASS");
    }

    if (diagnostics.error_count() > errors_before) return std::nullopt;
    return inv;
}

}  // namespace winipsec::ipseccmd
