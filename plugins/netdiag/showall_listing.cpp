#include "plugins/netdiag/showall_listing.hpp"

#include <array>
#include <map>

#include <fmt/format.h>

#include "plugins/netdiag/netdiag_codes.hpp"
#include "plugins/netdiag/showall_values.hpp"

namespace winipsec::listing {
namespace {

namespace label {
constexpr std::string_view policy_name = "Policy Name";
constexpr std::string_view description = "Description";
constexpr std::string_view store = "Store";
constexpr std::string_view last_modified = "Last Modified";
constexpr std::string_view guid = "GUID";
constexpr std::string_view activated = "Activated";
constexpr std::string_view master_pfs = "Master PFS";
constexpr std::string_view polling = "Polling Interval";
constexpr std::string_view mm_lifetime = "Main Mode Life Time";
constexpr std::string_view rule_count = "No. of Rules";
constexpr std::string_view rule_id = "Rule ID";
constexpr std::string_view connection_type = "Connection Type";
constexpr std::string_view tunnel_rule = "Tunnel Rule";
constexpr std::string_view tunnel_address = "Tunnel Dest IP Address";
constexpr std::string_view psk = "Preshared key";
constexpr std::string_view root_ca = "Root CA";
constexpr std::string_view certificate = "Certificate";
constexpr std::string_view kerberos = "Kerberos";
constexpr std::string_view filter_list = "FilterList Name";
constexpr std::string_view mirrored = "Mirrored";
constexpr std::string_view src_ip = "Source IP Address";
constexpr std::string_view src_dns = "Source DNS Name";
constexpr std::string_view src_mask = "Source Mask";
constexpr std::string_view dst_ip = "Destination IP Address";
constexpr std::string_view dst_dns = "Destination DNS Name";
constexpr std::string_view dst_mask = "Destination Mask";
constexpr std::string_view protocol = "Protocol";
constexpr std::string_view src_port = "Source Port";
constexpr std::string_view dst_port = "Destination Port";
constexpr std::string_view filter_action = "FilterAction Name";
constexpr std::string_view action = "Action";
constexpr std::string_view inpass = "Inbound Passthru";
constexpr std::string_view fallback = "AllowUnsecured(Fallback)";
constexpr std::string_view qmpfs = "QMPFS";
}  // namespace label

constexpr std::array<std::string_view, 34> all_labels = {
    label::policy_name, label::description,     label::store,       label::last_modified,  label::guid,
    label::activated,   label::master_pfs,      label::polling,     label::mm_lifetime,    label::rule_count,
    label::rule_id,     label::connection_type, label::tunnel_rule, label::tunnel_address, label::psk,
    label::root_ca,     label::certificate,     label::kerberos,    label::filter_list,    label::mirrored,
    label::src_ip,      label::src_dns,         label::src_mask,    label::dst_ip,         label::dst_dns,
    label::dst_mask,    label::protocol,        label::src_port,    label::dst_port,       label::filter_action,
    label::action,      label::inpass,          label::fallback,    label::qmpfs};

// Labels netdiag and scripts never print: what recognise() counts.
constexpr std::array<std::string_view, 7> distinctive_labels = {
    label::policy_name, label::rule_id, label::filter_list, label::filter_action,
    label::src_ip,      label::dst_ip,  label::mm_lifetime};

enum class Section { None, Policy, MainModeTable, Rule, Authentication, FilterList, FilterAction, QuickModeTable };

struct PendingFilter {
    std::map<std::string_view, Field> fields;
    SourceLocation where;
};

struct PendingRule {
    Rule rule;
    std::optional<std::string> list_name;
    std::string list_description;
    SourceLocation list_at;
    std::vector<PendingFilter> filters;
    std::optional<std::string> action_name;
    FilterAction action;
    std::optional<unsigned long> declared_auth;
    SourceLocation declared_auth_at;
};

struct PendingPolicy {
    Policy policy;
    std::optional<unsigned long> declared_rules;
    SourceLocation declared_at;
    std::size_t rules_read = 0;
};

bool is_dashes(std::string_view s) {
    s = trim(s);
    return s.size() >= 3 && s.find_first_not_of('-') == std::string_view::npos;
}

class ShowAllReader {
public:
    ShowAllReader(PolicyStore& store, Diagnostics& d) : store_(store), d_(d) {}

    void read(std::span<const ListingLine> lines) {
        for (const auto& line : lines) read_line(line);
        finish_policy();
    }

private:
    void read_line(const ListingLine& line) {
        if (line.blank() || is_dashes(line.text)) return;
        const ScannedLine s = scan_fields(line, all_labels);
        if (!s.leading.empty()) plain(s.leading, s.leading_at);
        for (const auto& f : s.fields) field(f);
    }

    // Section titles, table headers and table rows.
    void plain(const std::string& text, const SourceLocation& at) {
        const std::string l = lower(text);
        if (l == "main mode security methods") return enter(Section::MainModeTable, at, text);
        if (l == "rule details") return;
        if (l.starts_with("authentication methods")) return authentication_title(text, at);
        if (l == "security methods") return enter(Section::QuickModeTable, at, text);
        if (section_ == Section::MainModeTable) {
            if (l.starts_with("encryption")) return;  // the column header
            if (const auto offer = parse_main_mode_row(text)) {
                policy_->policy.main_mode.offers.push_back(*offer);
                return;
            }
        }
        if (section_ == Section::QuickModeTable) {
            if (l.starts_with("lifetime")) return;  // the column header
            if (const auto offer = parse_quick_mode_row(text)) {
                rule_->action.offers.push_back(*offer);
                return;
            }
        }
        if (section_ == Section::Authentication && l == "kerberos") {
            AuthMethod m;
            m.where = at;
            rule_->rule.authentication.push_back(m);
            return;
        }
        d_.warning(code::unknown_line, at,
                   fmt::format("'{}' is not part of the `show all` layout winipsec knows; ignored", text));
    }

    void enter(Section section, const SourceLocation& at, std::string_view title) {
        const bool in_policy = policy_ && section == Section::MainModeTable;
        const bool in_action = rule_ && section == Section::QuickModeTable;
        if (!in_policy && !in_action)
            return outside(at, title, section == Section::MainModeTable ? "a policy" : "a filter action");
        section_ = section;
    }

    void authentication_title(const std::string& text, const SourceLocation& at) {
        if (!rule_) return outside(at, text, "a rule");
        section_ = Section::Authentication;
        const auto open = text.find('(');
        const auto close = text.find(')');
        if (open != std::string::npos && close != std::string::npos && close > open)
            rule_->declared_auth = parse_number(std::string_view(text).substr(open + 1, close - open - 1), 1000);
        rule_->declared_auth_at = at;
    }

    void field(const Field& f) {
        if (f.label == label::policy_name) return start_policy(f);
        if (f.label == label::rule_id) return start_rule(f);
        if (rule_ && section_ != Section::Policy && section_ != Section::MainModeTable) return rule_field(f);
        if (policy_) return policy_field(f);
        outside(f.at, f.label, "a policy");
    }

    void start_policy(const Field& f) {
        finish_policy();
        policy_.emplace();
        policy_->policy.name = f.value;
        policy_->policy.where = f.at;
        policy_->policy.main_mode.offers.clear();
        section_ = Section::Policy;
        if (!warned_reconstructed_) {
            warned_reconstructed_ = true;
            d_.warning(code::reconstructed, f.at,
                       "the `netsh ipsec static show all` layout is reconstructed from memory, not from a real "
                       "capture (spec §7.2): check the imported policy against the Windows host, or import a "
                       "registry export of the policy store instead");
        }
    }

    void policy_field(const Field& f) {
        Policy& p = policy_->policy;
        if (f.label == label::description) {
            p.description = iequals(f.value, "NONE") ? "" : f.value;
        } else if (f.label == label::store) {
            const std::string l = lower(f.value);
            if (l.starts_with("domain") || l.starts_with("directory"))
                p.location = StoreLocation::Domain;
            else if (l.starts_with("persistent"))
                p.location = StoreLocation::Persistent;
        } else if (f.label == label::last_modified) {
            // informational
        } else if (f.label == label::guid) {
            p.guid = f.value;
        } else if (f.label == label::activated) {
            if (const auto b = yes_no(f)) p.assigned = *b;
        } else if (f.label == label::master_pfs) {
            if (const auto b = yes_no(f)) p.main_mode.master_pfs = *b;
        } else if (f.label == label::polling) {
            if (const auto m = parse_minutes(f.value))
                p.polling_interval_minutes = *m;
            else
                bad(f, "expected 'N minutes'");
        } else if (f.label == label::mm_lifetime) {
            if (const auto m = parse_main_mode_lifetime(f.value)) {
                p.main_mode.lifetime_seconds = m->minutes * 60;
                p.main_mode.quick_modes_per_main_mode = m->quick_modes;
            } else {
                bad(f, "expected 'N minutes / N Quick Mode sessions'");
            }
        } else if (f.label == label::rule_count) {
            policy_->declared_rules = parse_number(f.value, 1u << 20);
            policy_->declared_at = f.value_at;
            if (!policy_->declared_rules) bad(f, "not a number");
        } else {
            outside(f.at, f.label, "a rule");
        }
    }

    void start_rule(const Field& f) {
        if (!policy_) return outside(f.at, f.label, "a policy");
        finish_rule();
        rule_.emplace();
        // "1, GUID = {...}"
        const auto guid = f.value.find('{');
        if (guid != std::string::npos) rule_->rule.guid = f.value.substr(guid);
        rule_->rule.name = fmt::format("Rule {}", trim(std::string_view(f.value).substr(0, f.value.find(','))));
        rule_->rule.where = f.at;
        rule_->action.where = f.at;
        section_ = Section::Rule;
    }

    void rule_field(const Field& f) {
        Rule& r = rule_->rule;
        if (f.label == label::activated && section_ == Section::Rule) {
            if (const auto b = yes_no(f)) r.active = *b;
        } else if (f.label == label::connection_type) {
            if (const auto t = parse_connection_type(f.value))
                r.connection_type = *t;
            else
                bad(f, "expected ALL, LAN or DIALUP");
        } else if (f.label == label::tunnel_rule || f.label == label::tunnel_address) {
            tunnel(f);
        } else if (f.label == label::psk || f.label == label::root_ca || f.label == label::certificate ||
                   f.label == label::kerberos) {
            authentication(f);
        } else if (f.label == label::filter_list) {
            section_ = Section::FilterList;
            rule_->list_name = f.value;
            rule_->list_at = f.at;
        } else if (f.label == label::filter_action) {
            section_ = Section::FilterAction;
            rule_->action_name = f.value;
            rule_->action.name = f.value;
            rule_->action.where = f.at;
        } else if (section_ == Section::FilterList) {
            filter_field(f);
        } else if (section_ == Section::FilterAction || section_ == Section::QuickModeTable) {
            action_field(f);
        } else if (f.label == label::description) {
            r.description = iequals(f.value, "NONE") ? "" : f.value;
        } else {
            outside(f.at, f.label, "a filter list or filter action");
        }
    }

    void tunnel(const Field& f) {
        if (const auto b = parse_yes_no(f.value)) {
            if (!*b) rule_->rule.tunnel_endpoint.reset();
            return;
        }
        const auto a = IpAddress::parse(f.value);
        if (!a) return bad(f, "expected NO or the tunnel endpoint's IP address");
        rule_->rule.tunnel_endpoint = FilterAddress::specific(*a, a->bit_width());
    }

    void authentication(const Field& f) {
        AuthMethod m;
        m.where = f.at;
        if (f.label == label::psk) {
            m.kind = AuthKind::PresharedKey;
            if (f.value.find_first_not_of('*') == std::string::npos)
                d_.warning(code::psk_hidden, f.value_at,
                           "the listing hides the pre-shared key; the rule is imported with an empty key, which "
                           "cannot authenticate -- take the key from the policy's author");
            else
                m.preshared_key = Secret(f.value);
        } else if (f.label == label::kerberos) {
            m.kind = AuthKind::Kerberos;
        } else {
            m.kind = AuthKind::Certificate;
            m.certificate_ca = f.value;
        }
        rule_->rule.authentication.push_back(std::move(m));
    }

    void filter_field(const Field& f) {
        if (f.label == label::description && rule_->filters.empty()) {
            rule_->list_description = iequals(f.value, "NONE") ? "" : f.value;
            return;
        }
        // A new filter starts at its first field, or when a field repeats.
        const bool starts = f.label == label::mirrored || f.label == label::description;
        if (rule_->filters.empty() || rule_->filters.back().fields.contains(f.label) ||
            (starts && !rule_->filters.back().fields.empty())) {
            rule_->filters.emplace_back();
            rule_->filters.back().where = f.at;
        }
        rule_->filters.back().fields.emplace(f.label, f);
    }

    void action_field(const Field& f) {
        FilterAction& a = rule_->action;
        if (f.label == label::action) {
            if (const auto k = parse_listed_action(f.value))
                a.action = *k;
            else
                bad(f, "expected NEGOTIATE SECURITY, PERMIT or BLOCK");
        } else if (f.label == label::inpass) {
            if (const auto b = yes_no(f)) a.inbound_passthrough = *b;
        } else if (f.label == label::fallback) {
            if (const auto b = yes_no(f)) a.fallback_to_clear = *b;
        } else if (f.label == label::qmpfs) {
            if (const auto b = yes_no(f)) a.quick_mode_pfs = *b;
        } else if (f.label == label::description) {
            a.description = iequals(f.value, "NONE") ? "" : f.value;
        } else {
            outside(f.at, f.label, "a filter list");
        }
    }

    std::optional<Filter> make_filter(const PendingFilter& p) {
        auto value = [&](std::string_view l) {
            const auto it = p.fields.find(l);
            return it == p.fields.end() ? std::string_view() : std::string_view(it->second.value);
        };
        for (const auto l : {label::src_ip, label::dst_ip})
            if (!p.fields.contains(l)) {
                d_.error(code::missing_field, p.where,
                         fmt::format("this filter has no '{} :' field; the filter is not imported", l));
                return std::nullopt;
            }
        Filter f;
        f.where = p.where;
        f.description = std::string(value(label::description));
        if (iequals(f.description, "NONE")) f.description.clear();
        std::string why;
        const auto src = parse_listed_address(value(label::src_ip), value(label::src_mask), value(label::src_dns), why);
        if (!src) return bad_filter(p.fields.at(label::src_ip), why);
        const auto dst = parse_listed_address(value(label::dst_ip), value(label::dst_mask), value(label::dst_dns), why);
        if (!dst) return bad_filter(p.fields.at(label::dst_ip), why);
        f.source = *src;
        f.destination = *dst;
        if (p.fields.contains(label::mirrored)) {
            const auto b = parse_yes_no(value(label::mirrored));
            if (!b) return bad_filter(p.fields.at(label::mirrored), "expected YES or NO");
            f.mirrored = *b;
        }
        if (p.fields.contains(label::protocol)) {
            const auto n = parse_listed_protocol(value(label::protocol));
            if (!n) return bad_filter(p.fields.at(label::protocol), "expected ANY, TCP, UDP, ICMP, RAW or a number");
            f.protocol = *n;
        }
        for (const auto& [l, port] :
             {std::pair{label::src_port, &f.source_port}, {label::dst_port, &f.destination_port}}) {
            if (!p.fields.contains(l)) continue;
            const auto n = parse_listed_port(value(l));
            if (!n) return bad_filter(p.fields.at(l), "expected ANY or a port number");
            *port = *n;
        }
        return f;
    }

    void finish_rule() {
        if (!rule_) return;
        PendingRule pr = std::move(*rule_);
        rule_.reset();
        Policy& policy = policy_->policy;
        ++policy_->rules_read;
        if (pr.declared_auth && *pr.declared_auth != pr.rule.authentication.size())
            d_.warning(code::count_mismatch, pr.declared_auth_at,
                       fmt::format("the listing announces {} authentication methods but {} were read",
                                   *pr.declared_auth, pr.rule.authentication.size()));
        const bool has_auth = !pr.rule.authentication.empty();
        if (!pr.list_name || pr.list_name->empty() || iequals(*pr.list_name, "NONE")) {
            // No filter list: the default response rule (spec §1).
            Rule r = make_default_response_rule(pr.rule.where, pr.rule.active);
            r.guid = pr.rule.guid;
            if (has_auth) {
                r.authentication = pr.rule.authentication;
                r.authentication_defaulted = false;
            }
            if (!pr.action.offers.empty()) {
                r.default_response_action->offers = pr.action.offers;
                r.default_response_action->offers_defaulted = false;
            }
            std::erase_if(policy.rules, [](const Rule& x) { return x.default_response; });
            policy.rules.push_back(std::move(r));
            return;
        }
        if (!pr.action_name) {
            d_.error(code::missing_field, pr.rule.where,
                     fmt::format("{} has no 'FilterAction Name :'; the rule is not imported", pr.rule.name));
            return;
        }
        if (!store_.find_filter_list(*pr.list_name)) {
            FilterList list;
            list.name = *pr.list_name;
            list.description = pr.list_description;
            list.where = pr.list_at;
            for (const auto& pf : pr.filters)
                if (auto f = make_filter(pf)) list.filters.push_back(std::move(*f));
            store_.filter_lists.push_back(std::move(list));
        }
        // A list or action shared by several rules is printed with each; the
        // first print defines it.
        if (!store_.find_filter_action(*pr.action_name)) store_.filter_actions.push_back(pr.action);
        pr.rule.filter_list = *pr.list_name;
        pr.rule.filter_action = *pr.action_name;
        if (!has_auth) {
            AuthMethod kerberos;
            kerberos.where = pr.rule.where;
            pr.rule.authentication = {kerberos};
            pr.rule.authentication_defaulted = true;
        }
        policy.rules.push_back(std::move(pr.rule));
    }

    void finish_policy() {
        finish_rule();
        if (!policy_) return;
        PendingPolicy pp = std::move(*policy_);
        policy_.reset();
        Policy& p = pp.policy;
        if (pp.declared_rules && *pp.declared_rules != pp.rules_read)
            d_.warning(code::count_mismatch, pp.declared_at,
                       fmt::format("policy '{}' announces {} rules but {} were read; rules missing from the "
                                   "listing are not imported",
                                   p.name, *pp.declared_rules, pp.rules_read));
        if (p.main_mode.offers.empty()) p.main_mode.offers = default_main_mode_offers();
        if (!p.default_response_rule()) p.rules.insert(p.rules.begin(), make_default_response_rule(p.where, false));
        store_.policies.push_back(std::move(p));
    }

    std::optional<bool> yes_no(const Field& f) {
        const auto b = parse_yes_no(f.value);
        if (!b) bad(f, "expected YES or NO");
        return b;
    }

    void bad(const Field& f, std::string_view why) {
        d_.error(code::bad_value, f.value_at, fmt::format("{} : '{}': {}; ignored", f.label, f.value, why));
    }

    std::nullopt_t bad_filter(const Field& f, std::string_view why) {
        d_.error(code::bad_value, f.value_at,
                 fmt::format("{} : '{}': {}; the filter is not imported", f.label, f.value, why));
        return std::nullopt;
    }

    void outside(const SourceLocation& at, std::string_view what, std::string_view where) {
        d_.error(code::outside_section, at,
                 fmt::format("'{}' appears outside {} in this `show all` listing; ignored", what, where));
    }

    PolicyStore& store_;
    Diagnostics& d_;
    Section section_ = Section::None;
    std::optional<PendingPolicy> policy_;
    std::optional<PendingRule> rule_;
    bool warned_reconstructed_ = false;
};

}  // namespace

void import_showall_listing(std::span<const ListingLine> lines, PolicyStore& store, Diagnostics& diagnostics) {
    ShowAllReader(store, diagnostics).read(lines);
}

int count_showall_lines(std::span<const ListingLine> lines) {
    int n = 0;
    for (const auto& line : lines)
        if (!scan_fields(line, distinctive_labels).fields.empty()) ++n;
    return n;
}

}  // namespace winipsec::listing
