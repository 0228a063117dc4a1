#include "plugins/consec/consec_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace winipsec::consec {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    while (true) {
        const auto p = s.find(sep);
        parts.push_back(trim(s.substr(0, p)));
        if (p == std::string_view::npos) return parts;
        s = s.substr(p + 1);
    }
}

std::optional<unsigned long> number(std::string_view s, unsigned long max) {
    unsigned long v = 0;
    if (s.empty() || s.size() > 10) return std::nullopt;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > max) return std::nullopt;
    return v;
}

Parsed<FilterAddress> one_address(std::string_view v, bool& host_bits) {
    static constexpr std::pair<std::string_view, ServerKind> servers[] = {{"dns", ServerKind::Dns},
                                                                          {"dhcp", ServerKind::Dhcp},
                                                                          {"wins", ServerKind::Wins},
                                                                          {"defaultgateway", ServerKind::Gateway}};
    for (const auto& [name, kind] : servers)
        if (iequals(v, name)) {
            FilterAddress a = FilterAddress::of_kind(AddressKind::Server);
            a.server = kind;
            return a;
        }
    if (iequals(v, "localsubnet"))
        return std::unexpected(ValueError::unsupported(
            "'localsubnet' (the subnets of the host's own interfaces) has no legacy equivalent; write the "
            "subnet(s) instead, e.g. endpoint2=192.168.1.0/24"));
    if (iequals(v, "any")) return std::unexpected(ValueError::bad("'any' cannot be combined with other addresses"));
    if (const auto dash = v.find('-'); dash != std::string_view::npos) {
        const auto first = IpAddress::parse(trim(v.substr(0, dash)));
        const auto last = IpAddress::parse(trim(v.substr(dash + 1)));
        if (!first || !last || first->family != last->family || *last < *first)
            return std::unexpected(ValueError::bad(fmt::format("'{}' is not an address range low-high", v)));
        FilterAddress a = FilterAddress::of_kind(AddressKind::Range);
        a.address = *first;
        a.range_last = *last;
        return a;
    }
    const auto slash = v.find('/');
    const auto address = IpAddress::parse(v.substr(0, slash));
    if (!address) return std::unexpected(ValueError::bad(fmt::format("'{}' is not an IPv4 or IPv6 address", v)));
    int prefix = address->bit_width();
    if (slash != std::string_view::npos) {
        const std::string_view m = v.substr(slash + 1);
        if (const auto n = number(m, static_cast<unsigned long>(address->bit_width()))) {
            prefix = static_cast<int>(*n);
        } else {
            const auto mask = IpAddress::parse(m);
            const auto length = mask && mask->family == address->family ? mask->mask_prefix_length() : std::nullopt;
            if (!length) return std::unexpected(ValueError::bad(fmt::format("'{}': not a prefix length or mask", v)));
            prefix = *length;
        }
    }
    if (address->has_host_bits(prefix)) host_bits = true;
    FilterAddress a = FilterAddress::specific(address->masked(prefix), prefix);
    a.mask_given = slash != std::string_view::npos;
    return a;
}

std::optional<Integrity> integrity(std::string_view w, std::string& unsupported) {
    static constexpr std::pair<std::string_view, Integrity> names[] = {{"md5", Integrity::Md5},
                                                                       {"sha1", Integrity::Sha1},
                                                                       {"sha256", Integrity::Sha256},
                                                                       {"sha384", Integrity::Sha384}};
    for (const auto& [n, i] : names)
        if (iequals(w, n)) return i;
    const std::string l = lower(w);
    if (l.starts_with("aesgmac") || l.starts_with("aesgcm")) unsupported = std::string(w);
    return std::nullopt;
}

std::optional<Cipher> cipher(std::string_view w, std::string& unsupported) {
    static constexpr std::pair<std::string_view, Cipher> names[] = {
        {"none", Cipher::None},     {"des", Cipher::Des},       {"3des", Cipher::TripleDes},
        {"aes128", Cipher::Aes128}, {"aes192", Cipher::Aes192}, {"aes256", Cipher::Aes256}};
    for (const auto& [n, c] : names)
        if (iequals(w, n)) return c;
    if (lower(w).starts_with("aesgcm")) unsupported = std::string(w);
    return std::nullopt;
}

ValueError algorithm_error(std::string_view what, std::string_view word, const std::string& unsupported) {
    if (!unsupported.empty())
        return ValueError::unsupported(
            fmt::format("{} '{}' (AES-GCM/GMAC) has no legacy equivalent; the legacy model knows "
                        "DES, 3DES, AES-CBC with MD5, SHA-1, SHA-256",
                        what, unsupported));
    return ValueError::bad(fmt::format("'{}' is not a {} netsh knows", word, what));
}

// "+60min", "+60 min", "+100000kb".
bool lifetime(std::string_view part, QuickModeOffer& offer) {
    std::string compact;
    for (const char c : part)
        if (c != ' ' && c != '\t') compact.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    for (const auto& [suffix, minutes] : {std::pair{std::string_view("min"), true}, {std::string_view("kb"), false}}) {
        if (!compact.ends_with(suffix)) continue;
        const auto n = number(std::string_view(compact).substr(0, compact.size() - suffix.size()), 0xFFFFFFFFul);
        if (!n) return false;
        if (minutes) {
            if (*n > 0xFFFFFFFFul / 60) return false;
            offer.lifetime_seconds = static_cast<std::uint32_t>(*n * 60);
        } else {
            offer.lifetime_kbytes = static_cast<std::uint32_t>(*n);
        }
        return true;
    }
    return false;
}

Parsed<QuickModeOffer> quick_mode_method(std::string_view method) {
    QuickModeOffer offer;
    for (const auto part : split(method, '+')) {
        const auto colon = part.find(':');
        if (colon == std::string_view::npos) {
            if (!lifetime(part, offer))
                return std::unexpected(
                    ValueError::bad(fmt::format("'{}' in '{}' is not a protocol:algorithms part or "
                                                "a lifetime (Nmin, Nkb)",
                                                part, method)));
            continue;
        }
        const std::string_view protocol = trim(part.substr(0, colon));
        const std::string_view algorithms = trim(part.substr(colon + 1));
        std::string unsupported;
        if (iequals(protocol, "ah") && !offer.ah && !offer.esp) {
            const auto i = integrity(algorithms, unsupported);
            if (!i) return std::unexpected(algorithm_error("integrity algorithm", algorithms, unsupported));
            offer.ah = *i;
        } else if (iequals(protocol, "esp") && !offer.esp) {
            const auto dash = algorithms.find('-');
            if (dash == std::string_view::npos)
                return std::unexpected(ValueError::bad(fmt::format("'{}': ESP needs integrity-encryption", part)));
            const auto i = integrity(trim(algorithms.substr(0, dash)), unsupported);
            if (!i)
                return std::unexpected(algorithm_error("integrity algorithm", algorithms.substr(0, dash), unsupported));
            const auto c = cipher(trim(algorithms.substr(dash + 1)), unsupported);
            if (!c)
                return std::unexpected(
                    algorithm_error("encryption algorithm", algorithms.substr(dash + 1), unsupported));
            offer.esp = EspTransform{*c, *i};
        } else if (iequals(protocol, "authnoencap")) {
            return std::unexpected(ValueError::unsupported(fmt::format(
                "'{}': AuthNoEncap (AuthIP integrity without encapsulation) has no legacy equivalent", part)));
        } else {
            return std::unexpected(ValueError::bad(fmt::format("'{}' is not ah:, esp: or ah:...+esp:...", method)));
        }
    }
    if (!offer.ah && !offer.esp)
        return std::unexpected(ValueError::bad(fmt::format("'{}' names no ah or esp transform", method)));
    return offer;
}

Parsed<MainModeOffer> main_mode_method(std::string_view method) {
    std::string_view group_text, rest;
    if (const auto colon = method.find(':'); colon != std::string_view::npos) {
        group_text = trim(method.substr(0, colon));
        rest = trim(method.substr(colon + 1));
    } else {
        const auto dash = method.find('-');
        if (dash == std::string_view::npos)
            return std::unexpected(ValueError::bad(fmt::format("'{}' is not group:encryption-integrity", method)));
        group_text = trim(method.substr(0, dash));
        rest = trim(method.substr(dash + 1));
    }
    MainModeOffer offer;
    const std::string g = lower(group_text);
    if (g == "dhgroup1")
        offer.group = DhGroup::Modp768;
    else if (g == "dhgroup2")
        offer.group = DhGroup::Modp1024;
    else if (g == "dhgroup14")
        offer.group = DhGroup::Modp2048;
    else if (g == "dhgroup24" || g.starts_with("ecdh"))
        return std::unexpected(ValueError::unsupported(
            fmt::format("main-mode group '{}' has no legacy equivalent (legacy groups: dhgroup1, dhgroup2, dhgroup14)",
                        group_text)));
    else
        return std::unexpected(
            ValueError::bad(fmt::format("'{}' is not a key exchange group netsh knows", group_text)));
    const auto dash = rest.find('-');
    if (dash == std::string_view::npos)
        return std::unexpected(ValueError::bad(fmt::format("'{}' is not encryption-integrity", rest)));
    std::string unsupported;
    const auto c = cipher(trim(rest.substr(0, dash)), unsupported);
    if (!c || *c == Cipher::None)
        return std::unexpected(algorithm_error("encryption algorithm", rest.substr(0, dash), unsupported));
    const auto i = integrity(trim(rest.substr(dash + 1)), unsupported);
    if (!i) return std::unexpected(algorithm_error("integrity algorithm", rest.substr(dash + 1), unsupported));
    offer.cipher = *c;
    offer.integrity = *i;
    return offer;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<bool> parse_yes_no(std::string_view v) {
    if (iequals(v, "yes") || iequals(v, "true")) return true;
    if (iequals(v, "no") || iequals(v, "false")) return false;
    return std::nullopt;
}

Parsed<EndpointList> parse_endpoint(std::string_view value) {
    EndpointList out;
    const std::string_view v = trim(value);
    if (v.empty()) return std::unexpected(ValueError::bad("no address given"));
    if (iequals(v, "any")) {
        out.addresses.push_back(FilterAddress::any());
        return out;
    }
    for (const auto item : split(v, ',')) {
        if (item.empty()) return std::unexpected(ValueError::bad(fmt::format("'{}' has an empty list item", v)));
        auto a = one_address(item, out.host_bits_cleared);
        if (!a) return std::unexpected(a.error());
        out.addresses.push_back(*a);
    }
    return out;
}

Parsed<std::vector<std::uint16_t>> parse_ports(std::string_view value) {
    std::vector<std::uint16_t> ports;
    const std::string_view v = trim(value);
    if (iequals(v, "any")) return ports;
    for (const auto item : split(v, ',')) {
        if (item.find('-') != std::string_view::npos)
            return std::unexpected(ValueError::unsupported(
                fmt::format("the port range '{}' has no legacy equivalent (a legacy filter names one port); list "
                            "the ports instead",
                            item)));
        const auto n = number(item, 65535);
        if (!n || *n == 0)
            return std::unexpected(ValueError::bad(fmt::format("'{}' is not a port 1-65535 or any", item)));
        if (std::find(ports.begin(), ports.end(), *n) == ports.end()) ports.push_back(static_cast<std::uint16_t>(*n));
    }
    return ports;
}

Parsed<std::uint8_t> parse_protocol(std::string_view value) {
    static constexpr std::pair<std::string_view, std::uint8_t> names[] = {
        {"any", 0}, {"tcp", 6}, {"udp", 17}, {"icmpv4", 1}, {"icmpv6", 58}};
    const std::string_view v = trim(value);
    for (const auto& [n, p] : names)
        if (iequals(v, n)) return p;
    const auto n = number(v, 255);
    if (!n)
        return std::unexpected(ValueError::bad(fmt::format("'{}' is not any, tcp, udp, icmpv4, icmpv6 or 0-255", v)));
    return static_cast<std::uint8_t>(*n);
}

Parsed<std::vector<QuickModeOffer>> parse_quick_mode_methods(std::string_view value) {
    std::vector<QuickModeOffer> offers;
    for (const auto method : split(trim(value), ',')) {
        auto offer = quick_mode_method(method);
        if (!offer) return std::unexpected(offer.error());
        offers.push_back(*offer);
    }
    return offers;
}

Parsed<std::vector<MainModeOffer>> parse_main_mode_methods(std::string_view value) {
    std::vector<MainModeOffer> offers;
    for (const auto method : split(trim(value), ',')) {
        auto offer = main_mode_method(method);
        if (!offer) return std::unexpected(offer.error());
        offers.push_back(*offer);
    }
    return offers;
}

Parsed<std::vector<CaName>> parse_ca_names(std::string_view value) {
    std::vector<CaName> out;
    for (auto entry : split(value, '|')) {
        CaName ca;
        // Options are blank-separated words at the end of the entry.
        while (true) {
            const auto space = entry.find_last_of(" \t");
            const std::string_view word = entry.substr(space == std::string_view::npos ? 0 : space + 1);
            const auto colon = word.find(':');
            if (colon == std::string_view::npos) break;
            const std::string option = lower(word.substr(0, colon));
            const std::string_view setting = word.substr(colon + 1);
            if (option != "certmapping" && option != "excludecaname" && option != "catype") break;
            if (option == "catype") {
                if (iequals(setting, "intermediate"))
                    return std::unexpected(ValueError::unsupported(
                        "catype:intermediate (an intermediate CA) has no legacy equivalent; legacy policies name a "
                        "root CA"));
                if (!iequals(setting, "root"))
                    return std::unexpected(ValueError::bad(fmt::format("'{}': catype is root or intermediate", word)));
            } else {
                const auto b = parse_yes_no(setting);
                if (!b) return std::unexpected(ValueError::bad(fmt::format("'{}': expected yes or no", word)));
                (option == "certmapping" ? ca.certificate_map : ca.exclude_ca_name) = *b;
            }
            if (space == std::string_view::npos) {
                entry = {};
                break;
            }
            entry = trim(entry.substr(0, space));
        }
        // netsh: "The \" characters within CA name must be replaced with \'".
        std::string name(trim(entry));
        for (std::size_t p = 0; (p = name.find("\\'", p)) != std::string::npos;) name.replace(p, 2, "\""), ++p;
        if (name.empty()) return std::unexpected(ValueError::bad("a CA name is empty"));
        ca.name = std::move(name);
        out.push_back(std::move(ca));
    }
    return out;
}

}  // namespace winipsec::consec
