#include "plugins/consec/consec_listing.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "plugins/consec/consec_codes.hpp"
#include "plugins/consec/consec_rule.hpp"
#include "plugins/consec/consec_values.hpp"

namespace winipsec::consec {
namespace {

// `show rule` label -> `add rule` tag; an empty tag is informational.
struct Label {
    std::string_view label;
    std::string_view tag;
};
constexpr Label labels[] = {
    {"Rule Name", "name"},
    {"Description", "description"},
    {"Enabled", "enable"},
    {"Profiles", "profile"},
    {"Type", "type"},
    {"Mode", "mode"},
    {"Endpoint1", "endpoint1"},
    {"Endpoint2", "endpoint2"},
    {"Port1", "port1"},
    {"Port2", "port2"},
    {"Protocol", "protocol"},
    {"Action", "action"},
    {"Auth1", "auth1"},
    {"Auth1PSK", "auth1psk"},
    {"Auth1CAName", "auth1ca"},
    {"Auth1CA", "auth1ca"},
    {"Auth1HealthCert", "auth1healthcert"},
    {"Auth2", "auth2"},
    {"Auth2CAName", "auth2ca"},
    {"Auth2CA", "auth2ca"},
    {"LocalTunnelEndpoint", "localtunnelendpoint"},
    {"RemoteTunnelEndpoint", "remotetunnelendpoint"},
    {"InterfaceTypes", "interfacetype"},
    {"QuickModeSecMethods", "qmsecmethods"},
    {"QuickModePFS", "qmpfs"},
    {"ApplyAuthorization", "applyauthz"},
    {"ExemptIPsecProtectedConnections", "exemptipsecprotectedconnections"},
    {"MainModeSecMethods", "mainmode"},  // global, not a rule tag: see below
    {"Grouping", ""},
    {"Rule source", ""},
};

struct ListingLine {
    std::string_view text;
    int number = 0;
};

std::vector<ListingLine> split_lines(std::string_view utf8) {
    std::vector<ListingLine> out;
    int n = 1;
    for (std::size_t pos = 0; pos <= utf8.size();) {
        const auto nl = utf8.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? utf8.size() : nl;
        out.push_back({utf8.substr(pos, end - pos), n++});
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return out;
}

int column_of(std::string_view text, std::size_t offset) {
    int column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    return column;
}

std::size_t first_non_blank(std::string_view s) {
    const auto p = s.find_first_not_of(" \t\r");
    return p == std::string_view::npos ? s.size() : p;
}

// The longest label the line starts with, and where its value begins.
std::optional<std::pair<const Label*, std::size_t>> match(std::string_view line) {
    const std::size_t start = first_non_blank(line);
    const Label* best = nullptr;
    for (const auto& l : labels) {
        const std::string_view head = line.substr(start, l.label.size());
        if (head.size() == l.label.size() && iequals(head, l.label) && (!best || l.label.size() > best->label.size()))
            best = &l;
    }
    if (!best) return std::nullopt;
    std::size_t i = start + best->label.size();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == ':') ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return std::pair{best, i};
}

class ListingReader {
public:
    ListingReader(const DecodedText& text, ConsecPolicy& policy, Diagnostics& d)
        : file_(text.path), policy_(policy), d_(d) {}

    std::size_t read(std::string_view utf8) {
        for (const auto& line : split_lines(utf8)) read_line(line);
        finish_rule();
        return rules_;
    }

private:
    SourceLocation at(const ListingLine& line, std::size_t offset) const {
        return SourceLocation{file_, line.number, column_of(line.text, offset)};
    }

    void read_line(const ListingLine& line) {
        const std::size_t start = first_non_blank(line.text);
        std::string_view text = line.text.substr(start);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
            text.remove_suffix(1);
        if (text.empty() || text.find_first_not_of('-') == std::string_view::npos) return;
        if (iequals(text, "Ok.")) return;  // netsh's closing line
        if (lower(text).starts_with("no rules match")) {
            d_.note(code::no_effect, at(line, start), "the listing shows no rule");
            return;
        }
        const auto m = match(line.text);
        if (!m) {
            d_.warning(code::unknown_line, at(line, start),
                       fmt::format("'{}' is not part of a `consec show rule` listing winipsec knows; ignored", text));
            return;
        }
        const auto& [label, value_begin] = *m;
        std::string value(line.text.substr(value_begin));
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
            value.pop_back();
        RuleOption o{std::string(label->tag), value, at(line, start), at(line, value_begin)};
        if (label->tag == "name") {
            finish_rule();
            rule_.emplace();
            where_ = o.at;
        }
        if (label->tag.empty()) return;
        if (label->tag == "mainmode") return main_mode(o);
        if (!rule_) {
            d_.warning(code::unknown_line, o.at, fmt::format("'{}' comes before any 'Rule Name:' line; ignored", text));
            return;
        }
        // `show rule` prints "None" (or nothing) where `add rule` would have no tag.
        const bool optional_tag = o.tag == "auth2" || o.tag == "localtunnelendpoint" ||
                                  o.tag == "remotetunnelendpoint" || o.tag == "description" || o.tag == "port1" ||
                                  o.tag == "port2";
        if (value.empty() || (optional_tag && iequals(value, "none"))) return;
        rule_->push_back(std::move(o));
    }

    // Windows prints the global main-mode methods with each rule.
    void main_mode(const RuleOption& o) {
        auto offers = parse_main_mode_methods(o.value);
        if (offers) return policy_.set_main_mode_offers(std::move(*offers), o.at);
        if (offers.error().kind == ValueError::Kind::Unsupported)
            d_.error(code::unsupported, o.at,
                     fmt::format("MainModeSecMethods {}: {}; the main-mode offers stay Windows' legacy defaults",
                                 o.value, offers.error().message));
        else
            d_.error(code::bad_value, o.value_at,
                     fmt::format("MainModeSecMethods {}: {}", o.value, offers.error().message));
    }

    void finish_rule() {
        if (!rule_) return;
        ++rules_;
        if (const auto rule = read_rule(*rule_, where_, d_)) policy_.add_rule(*rule);
        rule_.reset();
    }

    std::shared_ptr<const std::string> file_;
    ConsecPolicy& policy_;
    Diagnostics& d_;
    std::optional<std::vector<RuleOption>> rule_;
    SourceLocation where_;
    std::size_t rules_ = 0;
};

}  // namespace

int count_listing_lines(std::string_view utf8) {
    // Strict here, lenient when reading: a label directly followed by its
    // colon, and a "Rule Name:" among them (a script's `protocol=tcp` is no
    // listing line).
    int n = 0;
    bool rule_name = false;
    for (const auto& line : split_lines(utf8)) {
        const auto m = match(line.text);
        if (!m || m->first->tag.empty()) continue;
        const std::size_t end = first_non_blank(line.text) + m->first->label.size();
        const auto colon = line.text.find_first_not_of(" \t", end);
        if (colon == std::string_view::npos || line.text[colon] != ':') continue;
        rule_name |= m->first->tag == "name";
        ++n;
    }
    return rule_name ? n : 0;
}

std::size_t run_listing(const DecodedText& text, ConsecPolicy& policy, Diagnostics& diagnostics) {
    return ListingReader(text, policy, diagnostics).read(text.utf8);
}

}  // namespace winipsec::consec
