#include "plugins/netsh/netsh_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::uint64_t> to_number(std::string_view s) {
    if (!all_digits(s) || s.size() > 12) return std::nullopt;
    std::uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

std::vector<std::string_view> split_blank(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

bool valid_dns_name(std::string_view s) {
    if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
    });
}

// "Legacy IPsec" knows DES and 3DES only; AES and SHA-2 are WFAS (advfirewall).
constexpr std::string_view legacy_hint =
    "; netsh ipsec knows DES/3DES and MD5/SHA1 only (AES, SHA-2 and DH groups by name are advfirewall syntax)";

Parsed<Cipher> parse_cipher(std::string_view s, bool allow_none) {
    if (iequals(s, "DES")) return Cipher::Des;
    if (iequals(s, "3DES")) return Cipher::TripleDes;
    if (allow_none && iequals(s, "None")) return Cipher::None;
    return std::unexpected(
        fmt::format("'{}' is not a cipher: DES, 3DES{}{}", s, allow_none ? ", None" : "", legacy_hint));
}

Parsed<Integrity> parse_hash(std::string_view s, bool allow_none) {
    if (iequals(s, "MD5")) return Integrity::Md5;
    if (iequals(s, "SHA1")) return Integrity::Sha1;
    if (allow_none && iequals(s, "None")) return Integrity::None;
    const std::string hint = iequals(s, "SHA") ? " (write SHA1; SHA is ipseccmd spelling)" : std::string(legacy_hint);
    return std::unexpected(fmt::format("'{}' is not a hash: MD5, SHA1{}{}", s, allow_none ? ", None" : "", hint));
}

// ESP[conf,auth] or AH[hash] into `offer`.
std::optional<std::string> parse_transform(std::string_view s, QuickModeOffer& offer) {
    const auto open = s.find('[');
    if (s.empty() || open == std::string_view::npos || s.back() != ']')
        return fmt::format("'{}' is not ESP[cipher,hash] or AH[hash]", s);
    const std::string_view kind = s.substr(0, open);
    const std::string_view inner = s.substr(open + 1, s.size() - open - 2);
    if (iequals(kind, "AH")) {
        if (offer.ah) return fmt::format("'{}': AH given twice", s);
        auto h = parse_hash(inner, false);
        if (!h) return h.error();
        offer.ah = *h;
        return std::nullopt;
    }
    if (iequals(kind, "ESP")) {
        if (offer.esp) return fmt::format("'{}': ESP given twice", s);
        const auto comma = inner.find(',');
        if (comma == std::string_view::npos) return fmt::format("'{}' needs ESP[cipher,hash]", s);
        auto c = parse_cipher(inner.substr(0, comma), true);
        if (!c) return c.error();
        auto h = parse_hash(inner.substr(comma + 1), true);
        if (!h) return h.error();
        if (*c == Cipher::None && *h == Integrity::None)
            return fmt::format("'{}' protects nothing (no cipher and no hash); netsh rejects it", s);
        offer.esp = EspTransform{*c, *h};
        return std::nullopt;
    }
    return fmt::format("'{}' is not ESP[cipher,hash] or AH[hash]", s);
}

// "Nk/Ms", "Ms/Nk", "Nk", "Ms" [I: order and omission are not documented].
std::optional<std::string> parse_lifetime(std::string_view s, QuickModeOffer& offer) {
    std::size_t start = 0;
    bool kbytes = false, seconds = false;
    while (start <= s.size()) {
        const auto slash = s.find('/', start);
        const std::string_view part = s.substr(start, slash == std::string_view::npos ? s.npos : slash - start);
        const char unit =
            part.empty() ? '\0' : static_cast<char>(std::tolower(static_cast<unsigned char>(part.back())));
        const auto n = part.size() > 1 ? to_number(part.substr(0, part.size() - 1)) : std::nullopt;
        if (!n || (unit != 'k' && unit != 's') || *n == 0 || *n > 0xFFFFFFFFu)
            return fmt::format("lifetime '{}' must be Nk, Ns, Nk/Ns or Ns/Nk (kilobytes, seconds)", s);
        if ((unit == 'k' && kbytes) || (unit == 's' && seconds))
            return fmt::format("lifetime '{}' gives the same unit twice", s);
        (unit == 'k' ? offer.lifetime_kbytes : offer.lifetime_seconds) = static_cast<std::uint32_t>(*n);
        (unit == 'k' ? kbytes : seconds) = true;
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return std::nullopt;
}

}  // namespace

Parsed<bool> parse_bool(std::string_view text) {
    if (iequals(text, "yes") || iequals(text, "y")) return true;
    if (iequals(text, "no") || iequals(text, "n")) return false;
    return std::unexpected(fmt::format("'{}' is not yes or no", text));
}

Parsed<std::uint32_t> parse_number(std::string_view text, std::uint32_t min, std::uint32_t max) {
    const auto n = to_number(text);
    if (!n || *n < min || *n > max)
        return std::unexpected(fmt::format("'{}' is not a whole number from {} to {}", text, min, max));
    return static_cast<std::uint32_t>(*n);
}

Parsed<std::uint8_t> parse_protocol(std::string_view text) {
    if (iequals(text, "any")) return protocol::any;
    if (iequals(text, "icmp")) return protocol::icmp;
    if (iequals(text, "tcp")) return protocol::tcp;
    if (iequals(text, "udp")) return protocol::udp;
    if (iequals(text, "raw")) return protocol::raw;
    if (const auto n = to_number(text); n && *n <= 255) return static_cast<std::uint8_t>(*n);
    return std::unexpected(
        fmt::format("'{}' is not a protocol: ANY, ICMP, TCP, UDP, RAW or a number 0-255 "
                    "(e.g. 50 for ESP, 51 for AH)",
                    text));
}

Parsed<std::uint16_t> parse_port(std::string_view text) {
    const auto n = to_number(text);
    if (!n || *n > 65535) return std::unexpected(fmt::format("'{}' is not a port number 0-65535 (0 = any)", text));
    return static_cast<std::uint16_t>(*n);
}

Parsed<FilterAddress> parse_address(std::string_view text) {
    if (iequals(text, "me")) return FilterAddress::me();
    if (iequals(text, "any")) return FilterAddress::any();
    static constexpr std::pair<std::string_view, ServerKind> servers[] = {{"dns", ServerKind::Dns},
                                                                          {"wins", ServerKind::Wins},
                                                                          {"dhcp", ServerKind::Dhcp},
                                                                          {"gateway", ServerKind::Gateway}};
    for (const auto& [word, kind] : servers)
        if (iequals(text, word)) {
            FilterAddress a = FilterAddress::of_kind(AddressKind::Server);
            a.server = kind;
            return a;
        }
    if (const auto ip = IpAddress::parse(text)) return FilterAddress::specific(*ip, ip->bit_width());
    if (const auto dash = text.find('-'); dash != std::string_view::npos && text.find('-', dash + 1) == text.npos) {
        const auto first = IpAddress::parse(text.substr(0, dash));
        const auto last = IpAddress::parse(text.substr(dash + 1));
        if (first && last) {
            if (first->family != last->family)
                return std::unexpected(fmt::format("range '{}' mixes IPv4 and IPv6", text));
            if (*last < *first) return std::unexpected(fmt::format("range '{}' ends before it starts", text));
            FilterAddress a = FilterAddress::of_kind(AddressKind::Range);
            a.address = *first;
            a.range_last = *last;
            a.prefix_length = first->bit_width();
            return a;
        }
        if (first || last) return std::unexpected(fmt::format("'{}' is not a range of two addresses", text));
    }
    const bool numeric =
        std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (!numeric && text.find(':') == text.npos && valid_dns_name(text)) {
        FilterAddress a = FilterAddress::of_kind(AddressKind::DnsName);
        a.dns_name = std::string(text);
        return a;
    }
    return std::unexpected(
        fmt::format("'{}' is not an address: me, any, an IPv4 or IPv6 address, a range a-b, "
                    "DNS, WINS, DHCP, GATEWAY or a DNS name",
                    text));
}

Parsed<int> parse_mask(std::string_view text, IpFamily family) {
    const int width = family == IpFamily::V4 ? 32 : 128;
    if (all_digits(text)) {
        const auto n = to_number(text);
        if (!n || *n > static_cast<std::uint64_t>(width))
            return std::unexpected(fmt::format("prefix length '{}' must be 0-{}", text, width));
        return static_cast<int>(*n);
    }
    const auto mask = IpAddress::parse(text);
    if (!mask)
        return std::unexpected(fmt::format("'{}' is not a mask (255.255.0.0 or a prefix length such as 16)", text));
    if (mask->family != family)
        return std::unexpected(fmt::format("mask '{}' is not of the address's family ({})", text,
                                           family == IpFamily::V4 ? "IPv4" : "IPv6"));
    const auto prefix = mask->mask_prefix_length();
    if (!prefix)
        return std::unexpected(
            fmt::format("mask '{}' is not contiguous; Linux selectors cannot express it, split "
                        "the filter into contiguous subnets",
                        text));
    return *prefix;
}

Parsed<ActionKind> parse_action(std::string_view text) {
    if (iequals(text, "permit")) return ActionKind::Permit;
    if (iequals(text, "block")) return ActionKind::Block;
    if (iequals(text, "negotiate")) return ActionKind::Negotiate;
    return std::unexpected(fmt::format("'{}' is not an action: permit, block or negotiate", text));
}

Parsed<ConnectionType> parse_conntype(std::string_view text) {
    if (iequals(text, "all")) return ConnectionType::All;
    if (iequals(text, "lan")) return ConnectionType::Lan;
    if (iequals(text, "dialup")) return ConnectionType::Dialup;
    return std::unexpected(fmt::format("'{}' is not a connection type: lan, dialup or all", text));
}

Parsed<StoreLocation> parse_store_location(std::string_view text) {
    if (iequals(text, "local")) return StoreLocation::Local;
    if (iequals(text, "domain")) return StoreLocation::Domain;
    if (iequals(text, "persistent")) return StoreLocation::Persistent;
    return std::unexpected(fmt::format("'{}' is not a store location: local, domain or persistent", text));
}

Parsed<std::optional<FilterAddress>> parse_tunnel(std::string_view text) {
    if (text == "0" || text == "0.0.0.0") return std::optional<FilterAddress>{};
    auto a = parse_address(text);
    if (a && a->kind == AddressKind::Specific && a->address.family == IpFamily::V4) return std::optional{*a};
    if (a && a->kind == AddressKind::DnsName) return std::optional{*a};
    return std::unexpected(
        fmt::format("tunnel endpoint '{}' must be an IPv4 address or a DNS name (0 = no tunnel)", text));
}

Parsed<std::vector<MainModeOffer>> parse_mmsecmethods(std::string_view text) {
    std::vector<MainModeOffer> offers;
    const bool wfas = text.find(';') != text.npos || lower(text).find("dhgroup") != std::string::npos;
    for (const auto item : split_blank(text)) {
        const auto d1 = item.find('-');
        const auto d2 = d1 == item.npos ? item.npos : item.find('-', d1 + 1);
        if (d2 == item.npos || item.find('-', d2 + 1) != item.npos)
            return std::unexpected(fmt::format("'{}' is not cipher-hash-group such as 3DES-SHA1-2{}", item,
                                               wfas ? " (this looks like advfirewall syntax)" : ""));
        auto c = parse_cipher(item.substr(0, d1), false);
        if (!c) return std::unexpected(c.error());
        auto h = parse_hash(item.substr(d1 + 1, d2 - d1 - 1), false);
        if (!h) return std::unexpected(h.error());
        const std::string_view g = item.substr(d2 + 1);
        DhGroup group;
        if (g == "1")
            group = DhGroup::Modp768;
        else if (g == "2")
            group = DhGroup::Modp1024;
        else if (g == "3")
            group = DhGroup::Modp2048;  // "High (2048)", IKE group 14 (spec §8.9)
        else
            return std::unexpected(fmt::format("'{}': DH group '{}' must be 1, 2 or 3 (3 = 2048-bit)", item, g));
        offers.push_back({*c, *h, group});
    }
    if (offers.empty()) return std::unexpected("no main mode methods given; e.g. mmsecmethods=\"3DES-SHA1-2\"");
    return offers;
}

Parsed<std::vector<QuickModeOffer>> parse_qmsecmethods(std::string_view text) {
    std::vector<QuickModeOffer> offers;
    for (const auto item : split_blank(text)) {
        QuickModeOffer offer;
        const auto colon = item.find(':');
        const std::string_view body = item.substr(0, colon);
        const auto plus = body.find('+');
        for (const auto part : {body.substr(0, plus), plus == body.npos ? std::string_view() : body.substr(plus + 1)}) {
            if (part.empty() && plus == body.npos) continue;
            if (auto err = parse_transform(part, offer)) return std::unexpected(*err);
        }
        if (colon != item.npos)
            if (auto err = parse_lifetime(item.substr(colon + 1), offer)) return std::unexpected(*err);
        offers.push_back(offer);
    }
    if (offers.empty()) return std::unexpected("no quick mode methods given; e.g. qmsecmethods=\"ESP[3DES,SHA1]\"");
    return offers;
}

Parsed<AuthMethod> parse_rootca(std::string_view text) {
    std::string value(text);
    for (std::size_t p = 0; (p = value.find("\\'", p)) != std::string::npos;) value.replace(p, 2, "\"");
    AuthMethod method;
    method.kind = AuthKind::Certificate;
    // Trailing options, in any order: certmap:yes|no excludecaname:yes|no.
    for (bool again = true; again;) {
        again = false;
        const auto space = value.find_last_of(" \t");
        const std::string last = value.substr(space == std::string::npos ? 0 : space + 1);
        const auto colon = last.find(':');
        if (colon == std::string::npos) break;
        const std::string key = lower(last.substr(0, colon));
        if (key != "certmap" && key != "excludecaname") break;
        const auto yes = parse_bool(std::string_view(last).substr(colon + 1));
        if (!yes) return std::unexpected(fmt::format("rootca option '{}': {}", last, yes.error()));
        (key == "certmap" ? method.certificate_map : method.exclude_ca_name) = *yes;
        value.erase(space == std::string::npos ? 0 : space);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
        again = true;
    }
    if (value.empty()) return std::unexpected("rootca needs the root CA's name, e.g. rootca=\"CN=Corp Root CA\"");
    method.certificate_ca = value;
    return method;
}

}  // namespace winipsec::netsh
