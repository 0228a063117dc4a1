#include "plugins/registry/store_rule.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry {
namespace {

constexpr std::uint32_t auth_psk = 1;
constexpr std::uint32_t auth_certificate = 3;
constexpr std::uint32_t auth_kerberos = 5;

// UTF-16LE authentication data without its NUL; the caller made sure the
// length is even.
std::string auth_text(const AuthRecord& a) {
    auto text = utf16le_to_utf8(a.data);
    while (!text.empty() && text.back() == '\0') text.pop_back();
    return text;
}

std::optional<AuthMethod> to_auth_method(const AuthRecord& a, std::size_t number, const BlobSite& site) {
    AuthMethod m;
    m.where = site.at(a.offset);
    if (a.type != auth_kerberos && a.data.size() % 2 != 0) {
        // never quote the data: it may be a pre-shared key
        site.unsupported(a.offset, fmt::format("authentication method {} has {} bytes of text, an odd count for "
                                               "UTF-16; the method is left out",
                                               number, a.data.size()));
        return std::nullopt;
    }
    switch (a.type) {
        case auth_psk:
            m.kind = AuthKind::PresharedKey;
            m.preshared_key = Secret(auth_text(a));
            if (m.preshared_key.empty())
                site.diagnostics.warning(
                    code::not_understood, m.where,
                    fmt::format("{}: authentication method {} is an empty pre-shared key", site.object(), number));
            return m;
        case auth_certificate:
            m.kind = AuthKind::Certificate;
            m.certificate_ca = auth_text(a);
            return m;
        case auth_kerberos: m.kind = AuthKind::Kerberos; return m;
        default:
            site.unsupported(a.offset, fmt::format("authentication method {} has type {}, which is none of pre-shared "
                                                   "key (1), certificate (3) and Kerberos (5); it is left out",
                                                   number, a.type));
            return std::nullopt;
    }
}

void apply_authentication(const NfaBlob& blob, const BlobSite& site, Rule& rule) {
    rule.authentication.clear();
    rule.authentication_defaulted = false;
    std::vector<std::size_t> record_of;  // index into blob.authentication of each kept method
    for (std::size_t i = 0; i < blob.authentication.size(); ++i)
        if (auto m = to_auth_method(blob.authentication[i], i + 1, site)) {
            rule.authentication.push_back(std::move(*m));
            record_of.push_back(i);
        }
    if (blob.authentication.empty())
        site.diagnostics.warning(code::not_understood, site.key.where,
                                 fmt::format("{}: the rule lists no authentication method; Windows cannot negotiate "
                                             "it",
                                             site.object()));
    // The Vista+ list repeats the methods for newer Windows; it should say the same.
    if (blob.alternate_authentication) {
        const auto& alt = *blob.alternate_authentication;
        const bool same = alt.size() == blob.authentication.size() &&
                          std::equal(alt.begin(), alt.end(), blob.authentication.begin(),
                                     [](const AuthRecord& a, const AuthRecord& b) { return a.type == b.type; });
        if (!same)
            site.not_understood(blob.extensions_offset,
                                "the Vista+ authentication list differs from the legacy one; winipsec uses the "
                                "legacy list");
    }
    // Vista+ flags, one per method: 1 map the certificate to an account, 2 exclude CA names.
    if (blob.authentication_flags) {
        const auto& flags = *blob.authentication_flags;
        for (std::size_t k = 0; k < rule.authentication.size(); ++k) {
            const std::size_t i = record_of[k];
            if (i >= flags.size() || flags[i] == 0) continue;
            AuthMethod& m = rule.authentication[k];
            if (m.kind != AuthKind::Certificate || (flags[i] & ~0x3u) != 0) {
                site.not_understood(
                    blob.extensions_offset,
                    fmt::format("authentication method {} has Vista+ flags 0x{:x}; ignored", i + 1, flags[i]));
                continue;
            }
            m.certificate_map = (flags[i] & 0x1) != 0;
            m.exclude_ca_name = (flags[i] & 0x2) != 0;
        }
    }
}

void apply_tunnel(const NfaBlob& blob, const BlobSite& site, Rule& rule) {
    IpAddress v4;
    std::copy(blob.tunnel_address.begin(), blob.tunnel_address.end(), v4.bytes.begin());
    const bool has_address = v4.v4_value() != 0 || blob.tunnel_address_v6.has_value();
    if (blob.is_tunnel == 0) {
        if (has_address)
            site.not_understood(blob.tunnel_offset, "a tunnel endpoint on a rule that is not a tunnel rule; ignored");
        rule.tunnel_endpoint.reset();
        return;
    }
    if (blob.is_tunnel != 1)
        site.not_understood(blob.tunnel_offset + 4, fmt::format("IsTunnel is {}; taken as yes", blob.is_tunnel));
    if (blob.tunnel_address_v6) {
        IpAddress v6;
        v6.family = IpFamily::V6;
        std::copy(blob.tunnel_address_v6->begin(), blob.tunnel_address_v6->end(), v6.bytes.begin());
        rule.tunnel_endpoint = FilterAddress::specific(v6, 128);
    } else if (v4.v4_value() != 0) {
        rule.tunnel_endpoint = FilterAddress::specific(v4, 32);
    } else if (!blob.tunnel_name.empty()) {
        FilterAddress name = FilterAddress::of_kind(AddressKind::DnsName);
        name.dns_name = blob.tunnel_name;
        rule.tunnel_endpoint = name;
    } else {
        site.unsupported(blob.tunnel_offset,
                         "a tunnel rule without a tunnel endpoint; the rule is imported as a "
                         "transport rule");
        rule.tunnel_endpoint.reset();
    }
}

}  // namespace

void apply_nfa(const NfaBlob& blob, const BlobSite& site, Rule& rule) {
    apply_authentication(blob, site, rule);
    switch (blob.interface_type) {
        case 0xFFFFFFFDu: rule.connection_type = ConnectionType::All; break;
        case 0xFFFFFFFEu: rule.connection_type = ConnectionType::Lan; break;
        case 0xFFFFFFFFu: rule.connection_type = ConnectionType::Dialup; break;
        default:
            rule.connection_type = ConnectionType::All;
            site.not_understood(blob.interface_offset, fmt::format("interface type 0x{:08x} is none of all, LAN and "
                                                                   "dial-up; taken as all",
                                                                   blob.interface_type));
    }
    if (!blob.interface_name.empty())
        site.not_understood(blob.interface_offset + 4,
                            fmt::format("the rule names the interface '{}'; winipsec applies it to all interfaces of "
                                        "its connection type",
                                        blob.interface_name));
    apply_tunnel(blob, site, rule);
    if (blob.is_active > 1)
        site.not_understood(blob.tunnel_offset + 8, fmt::format("IsActive is {}; taken as yes", blob.is_active));
    rule.active = blob.is_active != 0;
    site.report(blob.findings);
}

}  // namespace winipsec::registry
