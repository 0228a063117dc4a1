#include "plugins/consec/consec_rule.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "plugins/consec/consec_codes.hpp"
#include "plugins/consec/consec_values.hpp"

namespace winipsec::consec {
namespace {

constexpr std::array<std::string_view, 36> known_tags = {
    "name",
    "endpoint1",
    "endpoint2",
    "action",
    "description",
    "mode",
    "enable",
    "profile",
    "type",
    "localtunnelendpoint",
    "remotetunnelendpoint",
    "port1",
    "port2",
    "protocol",
    "interfacetype",
    "auth1",
    "auth1psk",
    "auth1ca",
    "auth1healthcert",
    "auth1ecdsap256ca",
    "auth1ecdsap256healthcert",
    "auth1ecdsap384ca",
    "auth1ecdsap384healthcert",
    "auth1kerbproxyfqdn",
    "auth2",
    "auth2ca",
    "auth2healthcert",
    "auth2ecdsap256ca",
    "auth2ecdsap256healthcert",
    "auth2ecdsap384ca",
    "auth2ecdsap384healthcert",
    "auth2kerbproxyfqdn",
    "qmpfs",
    "qmsecmethods",
    "exemptipsecprotectedconnections",
    "applyauthz",
};

// Levenshtein distance, capped: only "one typo away" matters here.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "did you mean endpoint1?" for OCR and typing slips (`endpointl`, corpus #94;
// `endpoint=`, #95).
std::string suggestion(std::string_view tag) {
    std::vector<std::string_view> close;
    for (const auto known : known_tags)
        if (distance(tag, known) <= 1 || (tag.size() >= 3 && known.starts_with(tag))) close.push_back(known);
    if (close.empty()) return {};
    std::string s = " (did you mean ";
    for (std::size_t i = 0; i < close.size(); ++i)
        s += fmt::format("{}{}", i == 0 ? "" : i + 1 == close.size() ? " or " : ", ", close[i]);
    return s + "?)";
}

class RuleReader {
public:
    RuleReader(const SourceLocation& where, Diagnostics& d) : d_(d) { rule_.where = where; }

    std::optional<ConsecRule> read(std::span<const RuleOption> options) {
        collect(options);
        for (const auto tag : {"name", "endpoint1", "endpoint2", "action"})
            if (!options_.contains(tag)) {
                d_.error(code::missing_tag, rule_.where,
                         fmt::format("`consec add rule` needs {}=; the rule is not imported", tag));
                ok_ = false;
            }
        if (!ok_) return std::nullopt;
        read_names();
        read_traffic();
        read_action();
        read_conditions();
        read_authentication();
        read_quick_mode();
        read_refused();
        if (!ok_) return std::nullopt;
        return std::move(rule_);
    }

private:
    void collect(std::span<const RuleOption> options) {
        for (const auto& o : options) {
            if (std::find(known_tags.begin(), known_tags.end(), o.tag) == known_tags.end()) {
                d_.error(code::unknown_tag, o.at,
                         fmt::format("'{}' is not a tag of `consec add rule`{}; netsh rejects the command, so the "
                                     "rule is not imported",
                                     o.tag, suggestion(o.tag)));
                ok_ = false;
                continue;
            }
            if (const auto it = options_.find(o.tag); it != options_.end())
                d_.warning(code::duplicate_tag, o.at,
                           fmt::format("{}= is given twice; the last one ({}) counts", o.tag,
                                       o.tag == "auth1psk" ? Secret::redacted : o.value));
            options_.insert_or_assign(o.tag, &o);
        }
    }

    const RuleOption* get(std::string_view tag) const {
        const auto it = options_.find(std::string(tag));
        return it == options_.end() ? nullptr : it->second;
    }

    void read_names() {
        const RuleOption& name = *get("name");
        if (name.value.empty() || iequals(name.value, "all")) bad(name, "a rule name must not be empty or 'all'");
        rule_.name = name.value;
        if (const auto* o = get("description")) rule_.description = o->value;
        if (const auto* o = get("enable")) {
            if (const auto b = parse_yes_no(o->value))
                rule_.enabled = *b;
            else
                bad(*o, "expected yes or no");
        }
    }

    void read_traffic() {
        for (const auto& [tag, out] : {std::pair{"endpoint1", &rule_.endpoint1}, {"endpoint2", &rule_.endpoint2}}) {
            const RuleOption& o = *get(tag);
            auto e = parse_endpoint(o.value);
            if (!e) {
                fail(o, e.error());
                continue;
            }
            *out = std::move(e->addresses);
            if (e->host_bits_cleared)
                d_.note(
                    code::host_bits, o.value_at,
                    fmt::format("{}={}: a subnet written with host bits; the network address is used", tag, o.value));
        }
        if (const auto* o = get("protocol")) {
            if (const auto p = parse_protocol(o->value))
                rule_.protocol = *p;
            else
                fail(*o, p.error());
        }
        for (const auto& [tag, out] : {std::pair{"port1", &rule_.port1}, {"port2", &rule_.port2}}) {
            const auto* o = get(tag);
            if (!o) continue;
            auto ports = parse_ports(o->value);
            if (!ports) {
                fail(*o, ports.error());
                continue;
            }
            *out = std::move(*ports);
            if (!out->empty() && rule_.protocol != 6 && rule_.protocol != 17)
                bad(*o, "ports need protocol=tcp or protocol=udp");
        }
    }

    void read_action() {
        const RuleOption& o = *get("action");
        static constexpr std::pair<std::string_view, ConsecAction> actions[] = {
            {"requireinrequestout", ConsecAction::RequireInRequestOut},
            {"requestinrequestout", ConsecAction::RequestInRequestOut},
            {"requireinrequireout", ConsecAction::RequireInRequireOut},
            {"noauthentication", ConsecAction::NoAuthentication}};
        bool known = false;
        for (const auto& [n, a] : actions)
            if (iequals(o.value, n)) {
                rule_.action = a;
                known = true;
            }
        if (iequals(o.value, "requireinclearout"))
            return unsupported(o,
                               "requireinclearout (secure inbound, clear outbound for the same traffic) has no "
                               "legacy equivalent: a legacy filter action applies to both directions");
        if (!known)
            return bad(o,
                       "expected requireinrequestout, requestinrequestout, requireinrequireout, "
                       "requireinclearout or noauthentication");

        const auto* mode = get("mode");
        if (mode && iequals(mode->value, "tunnel"))
            rule_.tunnel = true;
        else if (mode && !iequals(mode->value, "transport"))
            return bad(*mode, "expected transport or tunnel");
        const bool exempt = rule_.action == ConsecAction::NoAuthentication;
        for (const auto& [tag, out] : {std::pair{"localtunnelendpoint", &rule_.local_tunnel_endpoint},
                                       {"remotetunnelendpoint", &rule_.remote_tunnel_endpoint}}) {
            const auto* o = get(tag);
            if (!rule_.tunnel || exempt) {
                if (o)
                    d_.warning(code::ignored_tag, o->at,
                               fmt::format("{}= only matters for a tunnel-mode rule that authenticates; ignored", tag));
                continue;
            }
            if (!o) {
                d_.error(code::missing_tag, rule_.where,
                         fmt::format("a tunnel-mode rule needs {}=; the rule is not imported", tag));
                ok_ = false;
                continue;
            }
            if (iequals(o->value, "any")) {
                unsupported(*o,
                            "'any' (a dynamic tunnel endpoint) has no legacy equivalent: a legacy tunnel rule "
                            "names its endpoint's address");
                continue;
            }
            const auto a = IpAddress::parse(o->value);
            if (!a) {
                bad(*o, "not an IPv4 or IPv6 address");
                continue;
            }
            *out = FilterAddress::specific(*a, a->bit_width());
        }
        if (exempt) rule_.tunnel = false;  // an exemption is not tunnelled (§11.1 remarks)
    }

    void read_conditions() {
        if (const auto* o = get("profile")) {
            bool domain = false, priv = false, pub = false, any = false, bad_word = false;
            for (std::string_view rest = o->value; !rest.empty();) {
                const auto comma = rest.find(',');
                const std::string w = lower(rest.substr(0, comma));
                rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
                if (w == "domain")
                    domain = true;
                else if (w == "private")
                    priv = true;
                else if (w == "public")
                    pub = true;
                else if (w == "any")
                    any = true;
                else
                    bad_word = true;
            }
            if (bad_word)
                bad(*o, "expected public, private, domain or any");
            else if (!any && !(domain && priv && pub))
                unsupported(*o,
                            "a rule limited to some network profiles has no legacy equivalent (legacy policy "
                            "has no profiles, and Linux none to match them against); use profile=any");
        }
        if (const auto* o = get("type"); o && !iequals(o->value, "static")) {
            if (iequals(o->value, "dynamic"))
                unsupported(*o, "type=dynamic has no legacy equivalent; legacy policy is static");
            else
                bad(*o, "expected static or dynamic");
        }
        if (const auto* o = get("interfacetype")) read_interface_type(*o);
    }

    // Legacy connection types: all, LAN (wired and wireless), dial-up (remote access).
    void read_interface_type(const RuleOption& o) {
        bool lan = false, wireless = false, ras = false, any = false;
        for (std::string_view rest = o.value; !rest.empty();) {
            const auto comma = rest.find(',');
            const std::string w = lower(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (w == "lan")
                lan = true;
            else if (w == "wireless" || w == "wiresless")
                wireless = true;  // netsh's own help misspells it
            else if (w == "ras")
                ras = true;
            else if (w == "any")
                any = true;
            else
                return bad(o, "expected any, lan, wireless or ras");
        }
        if (any || (lan && wireless && ras))
            rule_.connection_type = ConnectionType::All;
        else if (ras && !lan && !wireless)
            rule_.connection_type = ConnectionType::Dialup;
        else if (lan && wireless && !ras)
            rule_.connection_type = ConnectionType::Lan;
        else
            unsupported(o,
                        "legacy connection types are all, LAN (wired and wireless together) and remote "
                        "access; use any, lan,wireless or ras");
    }

    void read_authentication() {
        const auto* auth1 = get("auth1");
        bool psk = false, cert = false, ecdsa256 = false, ecdsa384 = false;
        if (auth1) {
            for (std::string_view rest = auth1->value; !rest.empty();) {
                const auto comma = rest.find(',');
                const std::string w = lower(rest.substr(0, comma));
                rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
                if (w == "computerkerb") {
                    AuthMethod m;
                    m.where = auth1->value_at;
                    rule_.authentication.push_back(m);
                } else if (w == "computerpsk") {
                    psk = true;
                    add_psk(*auth1);
                } else if (w == "computercert") {
                    cert = true;
                    add_certificates(*auth1);
                } else if (w == "computercertecdsap256" || w == "computercertecdsap384") {
                    (w.ends_with("256") ? ecdsa256 : ecdsa384) = true;
                    unsupported(*auth1, fmt::format("{} (an ECDSA-signed certificate) has no legacy equivalent: "
                                                    "legacy certificate authentication is RSA",
                                                    w));
                } else if (w == "computerntlm" || w == "anonymous") {
                    unsupported(*auth1, fmt::format("{} has no legacy equivalent (legacy authentication is "
                                                    "Kerberos, certificate or pre-shared key)",
                                                    w));
                } else {
                    bad(*auth1, fmt::format("'{}' is not an auth1 method", w));
                }
            }
        }
        if (!psk)
            if (const auto* o = get("auth1psk"))
                d_.warning(code::ignored_tag, o->at, "auth1psk= without auth1=computerpsk is ignored");
        if (!cert)
            if (const auto* o = get("auth1ca"))
                d_.warning(code::ignored_tag, o->at, "auth1ca= without auth1=computercert is ignored");
        for (const auto& [tag, used] : {std::pair{"auth1ecdsap256ca", ecdsa256},
                                        {"auth1ecdsap256healthcert", ecdsa256},
                                        {"auth1ecdsap384ca", ecdsa384},
                                        {"auth1ecdsap384healthcert", ecdsa384}})
            if (const auto* o = get(tag); o && !used)
                d_.warning(code::ignored_tag, o->at,
                           fmt::format("{}= without the matching ECDSA method in auth1 is ignored", tag));
        if (const auto* o = get("auth1healthcert")) {
            const auto b = parse_yes_no(o->value);
            if (!b)
                bad(*o, "expected yes or no");
            else if (*b)
                unsupported(*o, "health certificates (NAP) have no legacy equivalent");
        }
        if (const auto* o = get("auth1kerbproxyfqdn")) unsupported(*o, "a Kerberos proxy has no legacy equivalent");
    }

    void add_psk(const RuleOption& auth1) {
        const auto* key = get("auth1psk");
        if (!key || key->value.empty()) {
            d_.error(code::missing_tag, auth1.at, "auth1=computerpsk needs auth1psk=<key>; the rule is not imported");
            ok_ = false;
            return;
        }
        AuthMethod m;
        m.kind = AuthKind::PresharedKey;
        m.preshared_key = Secret(key->value);
        m.where = key->value_at;
        rule_.authentication.push_back(std::move(m));
    }

    void add_certificates(const RuleOption& auth1) {
        const auto* ca = get("auth1ca");
        if (!ca) {
            d_.error(code::missing_tag, auth1.at,
                     "auth1=computercert needs auth1ca=\"<CA name>\"; the rule is not imported");
            ok_ = false;
            return;
        }
        auto names = parse_ca_names(ca->value);
        if (!names) return fail(*ca, names.error());
        for (auto& n : *names) {
            AuthMethod m;
            m.kind = AuthKind::Certificate;
            m.certificate_ca = std::move(n.name);
            m.certificate_map = n.certificate_map;
            m.exclude_ca_name = n.exclude_ca_name;
            m.where = ca->value_at;
            rule_.authentication.push_back(std::move(m));
        }
    }

    void read_quick_mode() {
        if (const auto* o = get("qmsecmethods"); o && !iequals(o->value, "default")) {
            auto offers = parse_quick_mode_methods(o->value);
            if (offers)
                rule_.offers = std::move(*offers);
            else
                fail(*o, offers.error());
        }
        if (const auto* o = get("qmpfs")) {
            const std::string v = lower(o->value);
            if (v == "none")
                rule_.quick_mode_pfs = false;
            else if (v == "mainmode")
                rule_.quick_mode_pfs = true;
            else if (v == "dhgroup1" || v == "dhgroup2" || v == "dhgroup14") {
                rule_.quick_mode_pfs = true;
                d_.note(code::qmpfs_group, o->value_at,
                        fmt::format("qmpfs={}: legacy quick-mode PFS uses the main-mode group, which need not be {}",
                                    o->value, o->value));
            } else if (v == "dhgroup24" || v.starts_with("ecdh"))
                unsupported(*o, fmt::format("PFS group {} has no legacy equivalent", o->value));
            else
                bad(*o, "expected none, mainmode, dhgroup1, dhgroup2, dhgroup14, dhgroup24, ecdhp256 or ecdhp384");
        }
    }

    // Options whose every use is outside the legacy model.
    void read_refused() {
        for (const auto tag : {"auth2", "auth2ca", "auth2healthcert", "auth2ecdsap256ca", "auth2ecdsap256healthcert",
                               "auth2ecdsap384ca", "auth2ecdsap384healthcert", "auth2kerbproxyfqdn"})
            if (const auto* o = get(tag))
                unsupported(*o,
                            "second (user or health) authentication has no legacy equivalent: legacy rules "
                            "authenticate the computer only");
        for (const auto tag : {"exemptipsecprotectedconnections", "applyauthz"})
            if (const auto* o = get(tag)) {
                const auto b = parse_yes_no(o->value);
                if (!b)
                    bad(*o, "expected yes or no");
                else if (*b)
                    unsupported(*o, "this tunnel authorization setting has no legacy equivalent");
            }
    }

    void fail(const RuleOption& o, const ValueError& e) {
        if (e.kind == ValueError::Kind::Unsupported)
            unsupported(o, e.message);
        else
            bad(o, e.message);
    }

    void bad(const RuleOption& o, std::string_view why) {
        d_.error(code::bad_value, o.value_at,
                 fmt::format("{}={}: {}; netsh rejects the command, so the rule is not imported", o.tag, o.value, why));
        ok_ = false;
    }

    void unsupported(const RuleOption& o, std::string_view why) {
        d_.error(code::unsupported, o.at,
                 fmt::format("{}={}: {}; the rule '{}' is not imported", o.tag, o.value, why, rule_.name));
        ok_ = false;
    }

    Diagnostics& d_;
    std::map<std::string, const RuleOption*> options_;
    ConsecRule rule_;
    bool ok_ = true;
};

}  // namespace

std::span<const std::string_view> rule_tags() {
    return known_tags;
}

std::optional<ConsecRule> read_rule(std::span<const RuleOption> options, const SourceLocation& where,
                                    Diagnostics& diagnostics) {
    return RuleReader(where, diagnostics).read(options);
}

}  // namespace winipsec::consec
