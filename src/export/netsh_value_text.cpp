#include "export/netsh_value_text.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace winipsec::netsh_script {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return names_equal(a, b);
}

// What netsh's address grammar takes as a DNS name rather than a keyword, an
// address or a range [I: the grammar of §4.3 as the netsh importer reads it].
Spelled dns_name_text(const std::string& name) {
    const auto why = [&](std::string_view reason) {
        return std::unexpected(fmt::format("DNS name '{}' {}", name, reason));
    };
    if (name.empty() || name.size() > 253) return why("is empty or longer than 253 characters");
    if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos)
        return why("has an empty label");
    if (!std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
        }))
        return why("holds characters other than letters, digits, '-', '_' and '.'");
    for (const char* keyword : {"me", "any", "dns", "wins", "dhcp", "gateway"})
        if (iequals(name, keyword)) return why("is also a netsh address keyword");
    if (std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
        return why("reads as an address");
    if (const auto dash = name.find('-'); dash != std::string::npos && name.find('-', dash + 1) == std::string::npos)
        if (IpAddress::parse(name.substr(0, dash)) || IpAddress::parse(name.substr(dash + 1)))
            return why("reads as an address range");
    return name;
}

bool is_zero(const IpAddress& a) {
    return a == IpAddress::any(a.family);
}

bool legacy_cipher(Cipher c, bool allow_none) {
    return c == Cipher::Des || c == Cipher::TripleDes || (allow_none && c == Cipher::None);
}

bool legacy_hash(Integrity i, bool allow_none) {
    return i == Integrity::Md5 || i == Integrity::Sha1 || (allow_none && i == Integrity::None);
}

constexpr const char* legacy_only = "netsh ipsec knows DES/3DES and MD5/SHA1 only";

}  // namespace

const char* yes_no(bool value) {
    return value ? "yes" : "no";
}

Spelled address_text(const FilterAddress& a) {
    switch (a.kind) {
        case AddressKind::Me: return std::string("me");
        case AddressKind::Any: return std::string("any");
        case AddressKind::Server: return std::string(to_string(a.server));
        case AddressKind::Specific:
            // 0.0.0.0 with mask 0 is how netsh reads `any` back.
            if (is_zero(a.address) && a.prefix_length == 0) return std::string("any");
            return a.address.to_string();
        case AddressKind::Range:
            if (a.address.family != a.range_last.family)
                return std::unexpected(
                    fmt::format("range {}-{} mixes IPv4 and IPv6", a.address.to_string(), a.range_last.to_string()));
            return fmt::format("{}-{}", a.address.to_string(), a.range_last.to_string());
        case AddressKind::DnsName: return dns_name_text(a.dns_name);
    }
    return std::unexpected("unknown address kind");
}

std::optional<std::string> mask_text(const FilterAddress& a) {
    if (a.kind == AddressKind::Specific) {
        if (is_zero(a.address) && a.prefix_length == 0) return std::nullopt;
        if (!a.mask_given && a.prefix_length == a.address.bit_width()) return std::nullopt;
        if (a.address.family == IpFamily::V6) return std::to_string(a.prefix_length);
        return IpAddress::mask_of(IpFamily::V4, a.prefix_length).to_string();
    }
    if (a.kind == AddressKind::DnsName && a.mask_given)
        return IpAddress::mask_of(IpFamily::V4, a.prefix_length).to_string();
    return std::nullopt;
}

Spelled tunnel_text(const FilterAddress& e) {
    if (e.kind == AddressKind::DnsName) return dns_name_text(e.dns_name);
    if (e.kind != AddressKind::Specific)
        return std::unexpected(fmt::format(
            "tunnel endpoint '{}' is not an address (netsh takes an IPv4 address or a DNS name)", e.to_string()));
    if (e.address.family != IpFamily::V4)
        return std::unexpected(
            fmt::format("tunnel endpoint {} is IPv6; netsh takes IPv4 endpoints only", e.address.to_string()));
    if (is_zero(e.address)) return std::unexpected("tunnel endpoint 0.0.0.0 means 'no tunnel' to netsh");
    if (e.prefix_length != 32)
        return std::unexpected(fmt::format("tunnel endpoint {} is a subnet, not one address", e.to_string()));
    return e.address.to_string();
}

Spelled main_mode_offer_text(const MainModeOffer& o) {
    if (!legacy_cipher(o.cipher, false) || !legacy_hash(o.integrity, false))
        return std::unexpected(
            fmt::format("main mode offer {}-{}: {}", to_string(o.cipher), to_string(o.integrity), legacy_only));
    if (o.group == DhGroup::None)
        return std::unexpected(
            fmt::format("main mode offer {}-{} has no DH group; netsh takes groups 1, 2 and 3 (2048-bit)",
                        to_string(o.cipher), to_string(o.integrity)));
    return to_string(o);
}

Spelled quick_mode_offer_text(const QuickModeOffer& o) {
    if (!o.ah && !o.esp) return std::unexpected("a quick mode offer with neither AH nor ESP");
    if (o.ah && !legacy_hash(*o.ah, false))
        return std::unexpected(fmt::format("quick mode offer {}: {}", to_string(o), legacy_only));
    if (o.esp) {
        if (!legacy_cipher(o.esp->cipher, true) || !legacy_hash(o.esp->integrity, true))
            return std::unexpected(fmt::format("quick mode offer {}: {}", to_string(o), legacy_only));
        if (o.esp->cipher == Cipher::None && o.esp->integrity == Integrity::None)
            return std::unexpected(fmt::format("quick mode offer {} protects nothing; netsh rejects it", to_string(o)));
    }
    return to_string(o);
}

}  // namespace winipsec::netsh_script
