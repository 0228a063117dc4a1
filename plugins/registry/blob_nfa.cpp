#include "plugins/registry/blob_nfa.hpp"

#include <fmt/format.h>

// Counted data (§3.5): u32 AuthCount, AuthCount x {u32 type, u32 length,
// bytes}, u32 interface type, u32 length + UTF-16 interface name, 4-byte IPv4
// tunnel endpoint, u32 IsTunnel, u32 IsActive, u32 length + UTF-16 tunnel name.
//
// After it, Vista+ writes sections that XP/2003 ignore, each opening with a
// GUID of sixteen 0x01 bytes whose last byte numbers it, then one 0x00
// trailer byte:
//   ...01  u32 count, count x {u32 type, u32 length, bytes}
//   ...02  u32 count, count x u32 flags
//   ...03  16-byte IPv6 tunnel endpoint
// Section 02's count is 1 in every real blob (corpus #39-#41): the spec's
// "u32 Zero" there is the flag count, not a reserved zero.
namespace winipsec::registry {
namespace {

Guid section_guid(std::uint8_t number) {
    Guid g;
    g.bytes.fill(0x01);
    g.bytes[15] = number;
    return g;
}

std::vector<AuthRecord> read_auth_list(BlobReader& r, std::string_view what) {
    std::vector<AuthRecord> out;
    const std::size_t count_offset = r.offset();
    const std::uint32_t count = r.u32(what);
    // each method takes at least 8 bytes: refuse a count the data cannot hold
    if (r.ok() && count > r.remaining() / 8)
        r.fail_at(count_offset, fmt::format("{} {} needs at least {} bytes, {} remain", what, count,
                                            std::uint64_t{count} * 8, r.remaining()));
    for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
        AuthRecord a;
        a.offset = r.offset();
        a.type = r.u32("the authentication type");
        const std::uint32_t length = r.u32("the authentication data length");
        const auto data = r.bytes(length, "the authentication data");
        a.data.assign(data.begin(), data.end());
        if (r.ok()) out.push_back(a);
    }
    return out;
}

void read_extensions(std::span<const std::uint8_t> tail, std::size_t base, NfaBlob& out) {
    BlobReader r(tail, base);
    while (r.ok() && r.remaining() > 1) {
        const std::size_t start = r.offset();
        const Guid id = r.guid("the extension section GUID");
        if (!r.ok()) break;
        if (id == section_guid(1)) {
            out.alternate_authentication = read_auth_list(r, "the Vista+ authentication count");
        } else if (id == section_guid(2)) {
            const std::size_t count_offset = r.offset();
            const std::uint32_t count = r.u32("the authentication flag count");
            if (r.ok() && count > r.remaining() / 4)
                r.fail_at(count_offset, fmt::format("the authentication flag count {} needs {} bytes, {} remain", count,
                                                    std::uint64_t{count} * 4, r.remaining()));
            std::vector<std::uint32_t> flags;
            for (std::uint32_t i = 0; r.ok() && i < count; ++i) flags.push_back(r.u32("an authentication flag"));
            if (r.ok()) out.authentication_flags = std::move(flags);
        } else if (id == section_guid(3)) {
            std::array<std::uint8_t, 16> address{};
            const auto b = r.bytes(16, "the IPv6 tunnel endpoint");
            if (r.ok()) {
                std::copy(b.begin(), b.end(), address.begin());
                out.tunnel_address_v6 = address;
            }
        } else {
            out.findings.push_back({start, fmt::format("an extension section {} that winipsec does not know; it and "
                                                       "the {} bytes after it are not read",
                                                       id.to_string(), r.remaining())});
            return;
        }
    }
    if (!r.ok()) {
        out.findings.push_back({r.error().offset, fmt::format("the Vista+ extension sections are cut short ({}); "
                                                              "what they hold is not used",
                                                              r.error().message)});
        out.alternate_authentication.reset();
        out.authentication_flags.reset();
        out.tunnel_address_v6.reset();
        return;
    }
    if (r.remaining() == 1 && r.rest()[0] != 0)
        out.findings.push_back({r.offset(), "the trailer byte after the extension sections is not 0x00"});
}

}  // namespace

std::expected<NfaBlob, BlobError> decode_nfa_blob(std::span<const std::uint8_t> blob) {
    BlobEnvelope envelope;
    if (auto error = read_envelope(blob, class_guid::nfa, "ipsecNFA", envelope)) return std::unexpected(*error);
    BlobReader r(envelope.data, envelope_size);
    NfaBlob out;
    out.authentication = read_auth_list(r, "AuthCount");
    out.interface_offset = r.offset();
    out.interface_type = r.u32("the interface type");
    out.interface_name = r.utf16(r.u32("the interface name length"), "the interface name");
    out.tunnel_offset = r.offset();
    out.tunnel_address = r.ipv4("the tunnel endpoint");
    out.is_tunnel = r.u32("IsTunnel");
    out.is_active = r.u32("IsActive");
    out.tunnel_name = r.utf16(r.u32("the tunnel name length"), "the tunnel name");
    if (!r.ok()) return std::unexpected(r.error());
    if (r.remaining() > 0)
        out.findings.push_back({r.offset(), fmt::format("{} byte{} after the tunnel name; not read", r.remaining(),
                                                        r.remaining() == 1 ? "" : "s")});
    out.extensions_offset = envelope_size + envelope.data.size();
    read_extensions(envelope.tail, out.extensions_offset, out);
    return out;
}

}  // namespace winipsec::registry
