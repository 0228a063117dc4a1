// render_nft_script: the ruleset as `nft -f` input. Loading it is equivalent
// to apply_nft_ruleset: the same table, sets, chains and rules (the tests
// compare `nft list table` after both).
#include "kernel/nft_script.hpp"

#include <fmt/format.h>

namespace winipsec::kernel {
namespace {

const char* family_word(IpFamily f) {
    return f == IpFamily::V4 ? "ipv4" : "ipv6";
}

std::string packet_type_word(std::uint8_t type) {
    switch (type) {
        case 0: return "host";
        case 1: return "broadcast";
        case 2: return "multicast";
        case 3: return "other";
    }
    return std::to_string(type);
}

// `ip saddr & 255.255.255.0 . meta l4proto . th dport`: nft 1.0.6 parses a
// masked field inside a concatenation and compiles it to the payload load +
// bitwise AND that nft_encode_rule.cpp sends.
std::string key_expression(const std::vector<NftKeyPart>& key) {
    std::string out;
    for (const auto& part : key) {
        if (!out.empty()) out += " . ";
        out += nft_expression(part.field);
        if (part.masked()) {
            const auto family = value_type(part.field) == NftValueType::Ipv4Address ? IpFamily::V4 : IpFamily::V6;
            out += " & " + IpAddress::mask_of(family, part.prefix_length).to_string();
        }
    }
    return out;
}

// The set is typed by the fields alone: its elements are network addresses
// (already masked), which the mask in the rule makes comparable.
std::string key_type(const std::vector<NftKeyPart>& key) {
    std::string out;
    for (const auto& part : key) {
        if (!out.empty()) out += " . ";
        out += nft_datatype_name(value_type(part.field));
    }
    return out;
}

struct MatchText {
    std::string& out;
    const NftMatch* next;  // the following match, if any
    bool& skip_next;

    void word(std::string_view text) {
        if (!out.empty()) out += ' ';
        out += text;
    }
    void operator()(const NftMatchFamily& m) { word(fmt::format("meta nfproto {}", family_word(m.family))); }
    void operator()(const NftMatchProtocol& m) {
        // `udp dport 500` is nft's own spelling of protocol + port and
        // compiles to the same two comparisons.
        const auto* port = next ? std::get_if<NftMatchPort>(next) : nullptr;
        if (!m.equal) {
            word(fmt::format("meta l4proto != {}", m.protocol));
            return;
        }
        if (port && (m.protocol == protocol::tcp || m.protocol == protocol::udp)) {
            word(fmt::format("{} {} {}", m.protocol == protocol::tcp ? "tcp" : "udp", port->source ? "sport" : "dport",
                             port->port));
            skip_next = true;
            return;
        }
        word(fmt::format("meta l4proto {}", m.protocol));
    }
    void operator()(const NftMatchPort& m) { word(fmt::format("th {} {}", m.source ? "sport" : "dport", m.port)); }
    void operator()(const NftMatchPacketType& m) { word("meta pkttype " + packet_type_word(m.packet_type)); }
    void operator()(const NftMatchDestination& m) {
        word(fmt::format("{} daddr {}", m.prefix.family() == IpFamily::V4 ? "ip" : "ip6",
                         m.prefix.length == m.prefix.address.bit_width()
                             ? m.prefix.address.to_string()
                             : fmt::format("{}/{}", m.prefix.address.to_string(), m.prefix.length)));
    }
    void operator()(const NftMatchNonFirstFragment& m) {
        word(m.family == IpFamily::V4 ? "ip frag-off & 0x1fff != 0" : "frag frag-off != 0");
    }
    void operator()(const NftMatchIpsec&) { word("meta ipsec exists"); }
    void operator()(const NftMatchUntracked&) { word("ct state untracked"); }
    void operator()(const NftMatchInputInterface& m) { word(fmt::format("iifname \"{}\"", m.name)); }
    void operator()(const NftMatchSet& m) { word(fmt::format("{} @{}", key_expression(m.key), m.set)); }
};

std::string render_rule(const NftRule& rule) {
    std::string out;
    bool skip = false;
    for (std::size_t i = 0; i < rule.matches.size(); ++i) {
        if (skip) {
            skip = false;
            continue;
        }
        const NftMatch* next = i + 1 < rule.matches.size() ? &rule.matches[i + 1] : nullptr;
        std::visit(MatchText{out, next, skip}, rule.matches[i]);
    }
    auto word = [&out](std::string_view text) {
        if (!out.empty()) out += ' ';
        out += text;
    };
    if (rule.counter) word("counter");
    if (rule.verdict == NftVerdict::Accept) word("accept");
    if (rule.verdict == NftVerdict::Drop) word("drop");
    if (!rule.comment.empty()) word(fmt::format("comment \"{}\"", rule.comment));
    return out;
}

std::string render_element(const NftSet& set, const NftSetElement& e) {
    std::string out;
    for (std::size_t i = 0; i < e.key.size() && i < set.key.size(); ++i) {
        if (i) out += " . ";
        const auto type = value_type(set.key[i].field);
        out += format_value(type, std::span(e.key[i]).first(value_length(type)));
    }
    if (!e.comment.empty()) out += fmt::format(" comment \"{}\"", e.comment);
    return out;
}

void render_set(const NftSet& set, std::string& out) {
    out += fmt::format("\tset {} {{\n\t\ttype {}\n", set.name, key_type(set.key));
    if (set.counter) out += "\t\tcounter\n";
    if (!set.elements.empty()) {
        out += "\t\telements = {\n";
        for (std::size_t i = 0; i < set.elements.size(); ++i)
            out += fmt::format("\t\t\t{}{}\n", render_element(set, set.elements[i]),
                               i + 1 < set.elements.size() ? "," : "");
        out += "\t\t}\n";
    }
    out += "\t}\n";
}

void render_chain(const NftChain& chain, std::string& out) {
    out += fmt::format("\tchain {} {{\n", chain.name);
    const std::string priority = chain.priority == 0 ? "filter" : std::to_string(chain.priority);
    out += fmt::format("\t\ttype filter hook {} priority {}; policy accept;\n", to_string(chain.hook), priority);
    for (const auto& rule : chain.rules) out += fmt::format("\t\t{}\n", render_rule(rule));
    out += "\t}\n";
}

}  // namespace

std::string render_nft_script(const NftRuleset& ruleset) {
    std::string out;
    out += "#!/usr/sbin/nft -f\n";
    out += "# Generated by winipsec. Loading this replaces the table atomically: nft applies the\n";
    out += "# whole file as one transaction, and declaring the table first makes the delete\n";
    out += "# succeed whether or not it exists. Other tables are left alone.\n";
    out += fmt::format("table inet {} {{\n}}\n", nft_table_name);
    out += fmt::format("delete table inet {}\n", nft_table_name);
    out += fmt::format("table inet {} {{\n", nft_table_name);
    for (const auto& set : ruleset.sets) render_set(set, out);
    for (const auto& chain : ruleset.chains) render_chain(chain, out);
    out += "}\n";
    return out;
}

}  // namespace winipsec::kernel
