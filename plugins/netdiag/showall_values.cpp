#include "plugins/netdiag/showall_values.hpp"

#include <vector>

#include "plugins/netdiag/listing_text.hpp"

namespace winipsec::listing {
namespace {

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> words;
    while (!(s = trim(s)).empty()) {
        const auto space = s.find_first_of(" \t");
        words.push_back(s.substr(0, space));
        s = space == std::string_view::npos ? std::string_view() : s.substr(space);
    }
    return words;
}

std::optional<Cipher> cipher(std::string_view w) {
    static constexpr std::pair<std::string_view, Cipher> names[] = {
        {"none", Cipher::None},     {"des", Cipher::Des},       {"3des", Cipher::TripleDes},
        {"aes128", Cipher::Aes128}, {"aes192", Cipher::Aes192}, {"aes256", Cipher::Aes256}};
    for (const auto& [n, c] : names)
        if (iequals(w, n)) return c;
    return std::nullopt;
}

std::optional<Integrity> integrity(std::string_view w) {
    static constexpr std::pair<std::string_view, Integrity> names[] = {
        {"none", Integrity::None}, {"md5", Integrity::Md5},       {"sha1", Integrity::Sha1},
        {"sha", Integrity::Sha1},  {"sha256", Integrity::Sha256}, {"sha384", Integrity::Sha384}};
    for (const auto& [n, i] : names)
        if (iequals(w, n)) return i;
    return std::nullopt;
}

// "Low(1)", "Medium(2)", "High(2048)", "High(3)", "2", "DH2048".
std::optional<DhGroup> group(std::string_view w) {
    const std::string l = lower(w);
    if (l.starts_with("low") || l == "1") return DhGroup::Modp768;
    if (l.starts_with("medium") || l == "2") return DhGroup::Modp1024;
    if (l.starts_with("high") || l == "3" || l == "14" || l.find("2048") != std::string::npos) return DhGroup::Modp2048;
    return std::nullopt;
}

// "ESP[3DES,SHA1]", "AH[MD5]", "AH[SHA1]+ESP[DES,None]".
bool parse_transforms(std::string_view s, QuickModeOffer& offer) {
    while (!s.empty()) {
        const auto open = s.find('[');
        const auto close = s.find(']');
        if (open == std::string_view::npos || close == std::string_view::npos || close < open) return false;
        const std::string_view kind = trim(s.substr(0, open));
        const std::string_view inside = s.substr(open + 1, close - open - 1);
        if (iequals(kind, "AH")) {
            const auto i = integrity(trim(inside));
            if (!i || offer.ah) return false;
            offer.ah = *i;
        } else if (iequals(kind, "ESP")) {
            const auto comma = inside.find(',');
            if (comma == std::string_view::npos || offer.esp) return false;
            const auto c = cipher(trim(inside.substr(0, comma)));
            const auto i = integrity(trim(inside.substr(comma + 1)));
            if (!c || !i) return false;
            offer.esp = EspTransform{*c, *i};
        } else {
            return false;
        }
        s = trim(s.substr(close + 1));
        if (s.starts_with('+')) {
            s = trim(s.substr(1));
            if (s.empty()) return false;
        } else if (!s.empty()) {
            return false;
        }
    }
    return offer.ah || offer.esp;
}

}  // namespace

std::optional<bool> parse_yes_no(std::string_view v) {
    if (iequals(v, "yes")) return true;
    if (iequals(v, "no")) return false;
    return std::nullopt;
}

std::optional<std::uint32_t> parse_minutes(std::string_view v) {
    const auto w = words_of(v);
    if (w.empty() || w.size() > 2 || (w.size() == 2 && !lower(w[1]).starts_with("min"))) return std::nullopt;
    const auto n = parse_number(w[0], 1u << 26);
    if (!n) return std::nullopt;
    return static_cast<std::uint32_t>(*n);
}

std::optional<MainModeLifetime> parse_main_mode_lifetime(std::string_view v) {
    const auto slash = v.find('/');
    MainModeLifetime out;
    const auto minutes = parse_minutes(trim(v.substr(0, slash)));
    if (!minutes) return std::nullopt;
    out.minutes = *minutes;
    if (slash == std::string_view::npos) return out;
    const auto w = words_of(v.substr(slash + 1));
    if (w.empty()) return std::nullopt;
    const auto n = parse_number(w[0], 1u << 30);
    if (!n) return std::nullopt;
    out.quick_modes = static_cast<std::uint32_t>(*n);
    return out;
}

std::optional<MainModeOffer> parse_main_mode_row(std::string_view row) {
    const auto w = words_of(row);
    if (w.size() != 3) return std::nullopt;
    const auto c = cipher(w[0]);
    const auto i = integrity(w[1]);
    const auto g = group(w[2]);
    if (!c || !i || !g) return std::nullopt;
    return MainModeOffer{*c, *i, *g};
}

std::optional<QuickModeOffer> parse_quick_mode_row(std::string_view row) {
    row = trim(row);
    QuickModeOffer offer;
    // An optional "KB/seconds" column comes first.
    if (!row.empty() && row.front() >= '0' && row.front() <= '9') {
        const auto space = row.find_first_of(" \t");
        if (space == std::string_view::npos) return std::nullopt;
        const std::string_view life = row.substr(0, space);
        const auto slash = life.find('/');
        if (slash == std::string_view::npos) return std::nullopt;
        const auto kb = parse_number(life.substr(0, slash), 0xFFFFFFFFul);
        const auto secs = parse_number(life.substr(slash + 1), 0xFFFFFFFFul);
        if (!kb || !secs) return std::nullopt;
        offer.lifetime_kbytes = static_cast<std::uint32_t>(*kb);
        offer.lifetime_seconds = static_cast<std::uint32_t>(*secs);
        row = trim(row.substr(space));
    }
    if (!parse_transforms(row, offer)) return std::nullopt;
    return offer;
}

std::optional<std::uint16_t> parse_listed_port(std::string_view v) {
    if (iequals(v, "any")) return 0;
    const auto n = parse_number(v, 65535);
    if (!n) return std::nullopt;
    return static_cast<std::uint16_t>(*n);
}

std::optional<std::uint8_t> parse_listed_protocol(std::string_view v) {
    static constexpr std::pair<std::string_view, std::uint8_t> names[] = {
        {"any", 0}, {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"raw", 255}};
    for (const auto& [n, p] : names)
        if (iequals(v, n)) return p;
    const auto n = parse_number(v, 255);
    if (!n) return std::nullopt;
    return static_cast<std::uint8_t>(*n);
}

std::optional<ConnectionType> parse_connection_type(std::string_view v) {
    if (iequals(v, "all")) return ConnectionType::All;
    if (iequals(v, "lan")) return ConnectionType::Lan;
    if (iequals(v, "dialup") || iequals(v, "remote access")) return ConnectionType::Dialup;
    return std::nullopt;
}

std::optional<ActionKind> parse_listed_action(std::string_view v) {
    const std::string l = lower(v);
    if (l.starts_with("negotiate")) return ActionKind::Negotiate;
    if (l == "permit") return ActionKind::Permit;
    if (l == "block") return ActionKind::Block;
    return std::nullopt;
}

std::optional<FilterAddress> parse_listed_address(std::string_view address, std::string_view mask,
                                                  std::string_view dns_name, std::string& why) {
    const std::string dns = lower(trim(dns_name));
    if (dns == "<my ip address>") return FilterAddress::me();
    if (dns == "<any ip address>") return FilterAddress::any();
    static constexpr std::pair<std::string_view, ServerKind> servers[] = {{"<dns servers>", ServerKind::Dns},
                                                                          {"<wins servers>", ServerKind::Wins},
                                                                          {"<dhcp server>", ServerKind::Dhcp},
                                                                          {"<default gateway>", ServerKind::Gateway}};
    for (const auto& [n, kind] : servers)
        if (dns == n) {
            FilterAddress a = FilterAddress::of_kind(AddressKind::Server);
            a.server = kind;
            return a;
        }
    const auto a = IpAddress::parse(trim(address));
    if (!a) {
        why = "not an IPv4 or IPv6 address";
        return std::nullopt;
    }
    int prefix = a->bit_width();
    if (!trim(mask).empty()) {
        const auto m = IpAddress::parse(trim(mask));
        const auto length = m && m->family == a->family ? m->mask_prefix_length() : std::nullopt;
        if (!length) {
            why = "the mask is not a contiguous mask of the address's IP version";
            return std::nullopt;
        }
        prefix = *length;
    }
    // Without a DNS Name column, 0.0.0.0 with a host mask is how the store
    // keeps `me` (spec E21) and 0.0.0.0/0 is `any`.
    if (*a == IpAddress::any(a->family)) {
        if (prefix == a->bit_width() && dns.empty()) return FilterAddress::me();
        if (prefix == 0) return FilterAddress::any();
    }
    // A host name column: Windows resolved the name when the filter was made
    // and stored the address printed here (spec §8.3).
    FilterAddress out = FilterAddress::specific(a->masked(prefix), prefix);
    out.mask_given = !trim(mask).empty();
    return out;
}

}  // namespace winipsec::listing
