#include "roundtrip_support.hpp"

#include <map>
#include <stdexcept>
#include <unordered_set>

#include <fmt/format.h>

#include "export/netsh_script_writer.hpp"
#include "import/decoded_text.hpp"
#include "import/format_table.hpp"
#include "import/store_checks.hpp"
#include "plan/build_plan.hpp"

namespace winipsec::roundtrip {
namespace {

class Differences {
public:
    explicit Differences(std::vector<std::string>& out) : out_(out) {}
    // Compared as text: to_string() of the model gives const char*.
    template <class A, class B>
    void check(const std::string& what, const A& before, const B& after) {
        std::string a = fmt::format("{}", before), b = fmt::format("{}", after);
        if (a != b) out_.push_back(fmt::format("{}: {} became {}", what, a, b));
    }
    void add(std::string line) { out_.push_back(std::move(line)); }

private:
    std::vector<std::string>& out_;
};

std::string address_text(const FilterAddress& a) {
    return a.to_string();
}

// The same address, whatever way the input spelled it (mask_given is the
// spelling: "10.0.0.0 mask 255.0.0.0" and "10.0.0.0/8" are one address).
bool same_address(const FilterAddress& a, const FilterAddress& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case AddressKind::Me:
        case AddressKind::Any: return true;
        case AddressKind::Server: return a.server == b.server;
        case AddressKind::Specific: return a.address == b.address && a.prefix_length == b.prefix_length;
        case AddressKind::Range: return a.address == b.address && a.range_last == b.range_last;
        case AddressKind::DnsName: return a.dns_name == b.dns_name && a.prefix_length == b.prefix_length;
    }
    return false;
}

std::string offers_text(const std::vector<QuickModeOffer>& offers) {
    std::string s;
    for (const auto& o : offers) s += fmt::format("{}{}", s.empty() ? "" : " ", to_string(o));
    return "[" + s + "]";
}

std::string offers_text(const std::vector<MainModeOffer>& offers) {
    std::string s;
    for (const auto& o : offers) s += fmt::format("{}{}", s.empty() ? "" : " ", to_string(o));
    return "[" + s + "]";
}

std::string auth_text(const std::vector<AuthMethod>& methods, bool defaulted) {
    std::string s;
    for (const auto& m : methods) {
        s += fmt::format("{}{}", s.empty() ? "" : " ", to_string(m.kind));
        if (m.kind == AuthKind::PresharedKey) s += "=" + m.preshared_key.reveal();
        if (m.kind == AuthKind::Certificate)
            s += fmt::format("={} certmap:{} excludecaname:{}", m.certificate_ca, m.certificate_map, m.exclude_ca_name);
    }
    return fmt::format("[{}]{}", s, defaulted ? " (default)" : "");
}

bool dynamic_only(const PolicyStore& store, const std::string& name, std::string Rule::*reference) {
    bool dynamic = false;
    for (const auto& p : store.policies)
        for (const auto& r : p.rules) {
            if (r.default_response || !names_equal(r.*reference, name)) continue;
            if (p.origin == Origin::Static) return false;
            dynamic = true;
        }
    return dynamic;
}

template <class T>
std::vector<const T*> static_objects(const PolicyStore& store, const std::vector<T>& all,
                                     std::string Rule::*reference) {
    std::vector<const T*> out;
    for (const auto& x : all)
        if (!dynamic_only(store, x.name, reference)) out.push_back(&x);
    return out;
}

std::string filter_key(const Filter& f) {
    return fmt::format("{}|{}|{}|{}|{}|{}", address_text(f.source), address_text(f.destination), f.protocol,
                       f.source_port, f.destination_port, f.mirrored);
}

// Duplicates collapsed: the writer writes a filter once (N-EXPORT-DUPLICATE-FILTER).
std::vector<const Filter*> distinct_filters(const FilterList& l) {
    std::vector<const Filter*> out;
    std::unordered_set<std::string> seen;
    for (const auto& f : l.filters)
        if (seen.insert(filter_key(f)).second) out.push_back(&f);
    return out;
}

void compare_lists(const FilterList& a, const FilterList& b, Differences& d) {
    const std::string at = fmt::format("filter list '{}'", a.name);
    d.check(at + " name", a.name, b.name);
    d.check(at + " description", a.description, b.description);
    const auto fa = distinct_filters(a), fb = distinct_filters(b);
    d.check(at + " filter count", fa.size(), fb.size());
    for (std::size_t i = 0; i < std::min(fa.size(), fb.size()); ++i) {
        const Filter &x = *fa[i], &y = *fb[i];
        const std::string f = fmt::format("{} filter {}", at, i + 1);
        if (!same_address(x.source, y.source))
            d.add(fmt::format("{} source: {} became {}", f, address_text(x.source), address_text(y.source)));
        if (!same_address(x.destination, y.destination))
            d.add(fmt::format("{} destination: {} became {}", f, address_text(x.destination),
                              address_text(y.destination)));
        d.check(f + " protocol", x.protocol, y.protocol);
        d.check(f + " source port", x.source_port, y.source_port);
        d.check(f + " destination port", x.destination_port, y.destination_port);
        d.check(f + " mirrored", x.mirrored, y.mirrored);
        d.check(f + " description", x.description, y.description);
    }
}

void compare_actions(const FilterAction& a, const FilterAction& b, Differences& d) {
    const std::string at = fmt::format("filter action '{}'", a.name);
    d.check(at + " name", a.name, b.name);
    d.check(at + " description", a.description, b.description);
    d.check(at + " action", to_string(a.action), to_string(b.action));
    d.check(at + " inpass", a.inbound_passthrough, b.inbound_passthrough);
    d.check(at + " soft", a.fallback_to_clear, b.fallback_to_clear);
    d.check(at + " qmpfs", a.quick_mode_pfs, b.quick_mode_pfs);
    // Offers only act when negotiating (the writer notes N-EXPORT-OFFERS-UNUSED).
    if (a.action == ActionKind::Negotiate) {
        d.check(at + " offers", offers_text(a.offers), offers_text(b.offers));
        d.check(at + " offers defaulted", a.offers_defaulted, b.offers_defaulted);
    }
}

void compare_rules(const std::string& at, const Rule& a, const Rule& b, Differences& d) {
    d.check(at + " name", a.name, b.name);
    d.check(at + " description", a.description, b.description);
    d.check(at + " filter list", a.filter_list, b.filter_list);
    d.check(at + " filter action", a.filter_action, b.filter_action);
    d.check(at + " active", a.active, b.active);
    d.check(at + " tunnel", a.tunnel_endpoint ? address_text(*a.tunnel_endpoint) : "none",
            b.tunnel_endpoint ? address_text(*b.tunnel_endpoint) : "none");
    d.check(at + " connection type", to_string(a.connection_type), to_string(b.connection_type));
    d.check(at + " authentication", auth_text(a.authentication, a.authentication_defaulted),
            auth_text(b.authentication, b.authentication_defaulted));
}

// A policy without a default response rule reads back with an inactive one
// (netsh gives every policy one; N-EXPORT-NO-DEFAULT-RULE).
Rule default_rule_of(const Policy& p) {
    if (const Rule* r = p.default_response_rule()) return *r;
    return make_default_response_rule({}, false);
}

void compare_policies(const PolicyStore& sa, const Policy& a, const PolicyStore& sb, const Policy& b, Differences& d) {
    const std::string at = fmt::format("policy '{}'", a.name);
    d.check(at + " name", a.name, b.name);
    d.check(at + " description", a.description, b.description);
    // What counts is the policy Windows enforces: netsh assigns one at a time.
    d.check(at + " enforced", &a == sa.assigned_policy(), &b == sb.assigned_policy());
    d.check(at + " polling interval", a.polling_interval_minutes, b.polling_interval_minutes);
    d.check(at + " main mode offers", offers_text(a.main_mode.offers), offers_text(b.main_mode.offers));
    d.check(at + " main mode lifetime", a.main_mode.lifetime_seconds, b.main_mode.lifetime_seconds);
    d.check(at + " quick modes per main mode", a.main_mode.quick_modes_per_main_mode,
            b.main_mode.quick_modes_per_main_mode);
    d.check(at + " master PFS", a.main_mode.master_pfs, b.main_mode.master_pfs);
    const Rule da = default_rule_of(a), db = default_rule_of(b);
    d.check(at + " default response active", da.active, db.active);
    d.check(at + " default response authentication", auth_text(da.authentication, da.authentication_defaulted),
            auth_text(db.authentication, db.authentication_defaulted));
    if (da.default_response_action && db.default_response_action) {
        d.check(at + " default response offers", offers_text(da.default_response_action->offers),
                offers_text(db.default_response_action->offers));
        d.check(at + " default response qmpfs", da.default_response_action->quick_mode_pfs,
                db.default_response_action->quick_mode_pfs);
    }
    std::vector<const Rule*> ra, rb;
    for (const auto& r : a.rules)
        if (!r.default_response) ra.push_back(&r);
    for (const auto& r : b.rules)
        if (!r.default_response) rb.push_back(&r);
    d.check(at + " rule count", ra.size(), rb.size());
    for (std::size_t i = 0; i < std::min(ra.size(), rb.size()); ++i)
        compare_rules(fmt::format("{} rule {}", at, i + 1), *ra[i], *rb[i], d);
}

std::vector<const Policy*> static_policies(const PolicyStore& s) {
    std::vector<const Policy*> out;
    for (const auto& p : s.policies)
        if (p.origin == Origin::Static) out.push_back(&p);
    return out;
}

std::string verdict_text(const plan::Verdict& v) {
    return fmt::format("{}{}{}", to_string(v.action), v.inbound_passthrough ? "+inpass" : "",
                       v.fallback_to_clear ? "+soft" : "");
}

std::string codes_of(const Diagnostics& d) {
    std::map<std::string, int> n;
    for (const auto& x : d.all()) ++n[x.code];
    std::string s;
    for (const auto& [code, count] : n) s += fmt::format("{}{}:{}", s.empty() ? "" : " ", code, count);
    return s;
}

}  // namespace

plan::PlanOptions fixed_plan_options(bool include_dynamic) {
    plan::PlanOptions o;
    o.me = {*IpAddress::parse("192.0.2.10")};
    o.resolve_from_host = false;
    o.servers[ServerKind::Dns] = {*IpAddress::parse("192.0.2.53")};
    o.servers[ServerKind::Wins] = {*IpAddress::parse("192.0.2.137")};
    o.servers[ServerKind::Dhcp] = {*IpAddress::parse("192.0.2.67")};
    o.servers[ServerKind::Gateway] = {*IpAddress::parse("192.0.2.1")};
    o.include_dynamic = include_dynamic;
    return o;
}

std::vector<std::string> compare_stores(const PolicyStore& a, const PolicyStore& b) {
    std::vector<std::string> out;
    Differences d(out);
    d.check("NoDefaultExempt", a.no_default_exempt ? std::to_string(*a.no_default_exempt) : "unset",
            b.no_default_exempt ? std::to_string(*b.no_default_exempt) : "unset");
    const auto pa = static_policies(a), pb = static_policies(b);
    d.check("static policy count", pa.size(), pb.size());
    for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) compare_policies(a, *pa[i], b, *pb[i], d);
    const auto la = static_objects(a, a.filter_lists, &Rule::filter_list);
    const auto lb = static_objects(b, b.filter_lists, &Rule::filter_list);
    d.check("filter list count", la.size(), lb.size());
    for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i) compare_lists(*la[i], *lb[i], d);
    const auto aa = static_objects(a, a.filter_actions, &Rule::filter_action);
    const auto ab = static_objects(b, b.filter_actions, &Rule::filter_action);
    d.check("filter action count", aa.size(), ab.size());
    for (std::size_t i = 0; i < std::min(aa.size(), ab.size()); ++i) compare_actions(*aa[i], *ab[i], d);
    return out;
}

std::vector<std::string> compare_plans(const plan::Plan& a, const plan::Plan& b, bool dynamic_names) {
    std::vector<std::string> out;
    Differences d(out);
    d.check("enforced policy", a.policy ? a.policy->name : "none", b.policy ? b.policy->name : "none");
    d.check("NoDefaultExempt", a.no_default_exempt, b.no_default_exempt);
    d.check("rule count", a.rules.size(), b.rules.size());
    for (std::size_t i = 0; i < std::min(a.rules.size(), b.rules.size()); ++i) {
        const plan::PlanRule &x = a.rules[i], &y = b.rules[i];
        const std::string at = fmt::format("rank {}", i);
        d.check(at + " direction", to_string(x.direction), to_string(y.direction));
        d.check(at + " selector", x.selector.to_string(), y.selector.to_string());
        d.check(at + " verdict", verdict_text(x.verdict), verdict_text(y.verdict));
        d.check(at + " tunnel", x.tunnel_endpoint ? x.tunnel_endpoint->to_string() : "none",
                y.tunnel_endpoint ? y.tunnel_endpoint->to_string() : "none");
        d.check(at + " connection type", to_string(x.connection_type), to_string(y.connection_type));
        d.check(at + " shape class", x.shape_class, y.shape_class);
        d.check(at + " mirror", x.is_mirror, y.is_mirror);
        const bool dynamic = x.policy && x.policy->origin == Origin::Dynamic;
        d.check(at + " origin", to_string(x.policy->origin), to_string(y.policy->origin));
        if (!dynamic || dynamic_names) {
            d.check(at + " policy", x.policy->name, y.policy->name);
            d.check(at + " rule", x.rule->name, y.rule->name);
            d.check(at + " filter list", x.filter_list->name, y.filter_list->name);
            d.check(at + " filter action", x.action->name, y.action->name);
            d.check(at + " filter description", x.filter->description, y.filter->description);
        }
        if (x.verdict.action == ActionKind::Negotiate) {
            d.check(at + " offers", offers_text(x.action->offers), offers_text(y.action->offers));
            d.check(at + " qmpfs", x.action->quick_mode_pfs, y.action->quick_mode_pfs);
            d.check(at + " authentication", auth_text(x.rule->authentication, x.rule->authentication_defaulted),
                    auth_text(y.rule->authentication, y.rule->authentication_defaulted));
        }
    }
    return out;
}

Imported import_text(std::string_view text, std::string_view format, const std::string& path) {
    auto decoded = decode_bytes(text, path);
    if (!decoded) throw std::runtime_error(decoded.error().message);
    const FormatEntry* entry = format == "auto" ? detect_format(*decoded) : find_format(format);
    if (!entry) throw std::runtime_error(fmt::format("no format for {}", path));
    Imported out;
    entry->importer.import(*decoded, {}, out.store, out.diagnostics);
    check_store(out.store, out.diagnostics);
    return out;
}

std::string RoundTrip::writer_warnings() const {
    std::map<std::string, int> n;
    for (const auto& x : written.all())
        if (x.severity != Severity::Note) ++n[x.code];
    std::string s;
    for (const auto& [code, count] : n) s += fmt::format("{}{}:{}", s.empty() ? "" : " ", code, count);
    return s;
}

RoundTrip round_trip(const PolicyStore& original, bool show_secrets) {
    RoundTrip rt;
    NetshScriptOptions options;
    options.show_secrets = show_secrets;
    options.generator = "winipsec (round trip test)";
    rt.script = write_netsh_script(original, options, rt.written);
    auto text = decode_bytes(rt.script, "roundtrip.cmd");
    if (!text) throw std::runtime_error("the script does not decode: " + text.error().message);
    const FormatEntry* netsh = find_format("netsh");
    if (!netsh) throw std::runtime_error("no netsh importer in the format table");
    netsh->importer.import(*text, {}, rt.read_back, rt.read);
    check_store(rt.read_back, rt.read);
    rt.store_differences = compare_stores(original, rt.read_back);
    for (const bool dynamic : {false, true}) {
        Diagnostics da, db;
        const plan::Plan pa = plan::build_plan(original, fixed_plan_options(dynamic), da);
        const plan::Plan pb = plan::build_plan(rt.read_back, fixed_plan_options(dynamic), db);
        const char* label = dynamic ? "plan with dynamic policy" : "plan";
        for (auto& line : compare_plans(pa, pb, false))
            rt.plan_differences.push_back(fmt::format("{}: {}", label, line));
        if (codes_of(da) != codes_of(db))
            rt.plan_differences.push_back(
                fmt::format("{} diagnostics: {} became {}", label, codes_of(da), codes_of(db)));
    }
    return rt;
}

}  // namespace winipsec::roundtrip
