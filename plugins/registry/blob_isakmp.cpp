#include "plugins/registry/blob_isakmp.hpp"

#include <fmt/format.h>

// Header (§3.4): GUID instance, u32 zero, u32 MasterPFS, u32 options, four
// NewDH bytes, u32 QM limit, u32 lifetime, 20 zero bytes, u32 MethodCount;
// then 64-byte methods. Real blobs put (algorithm, key length, rounds)
// triples where [MS-GPIPSEC] has 8-byte ids and zeros, and garbage in the
// last u32 ("PFS-Identity-Required"): only the fields below are read.
namespace winipsec::registry {
namespace {

constexpr std::size_t method_size = 64;

}  // namespace

std::expected<IsakmpBlob, BlobError> decode_isakmp_blob(std::span<const std::uint8_t> blob) {
    BlobEnvelope envelope;
    if (auto error = read_envelope(blob, class_guid::isakmp, "ipsecISAKMPPolicy", envelope))
        return std::unexpected(*error);
    BlobReader r(envelope.data, envelope_size);
    IsakmpBlob out;
    out.instance = r.guid("the ISAKMP policy GUID");
    r.skip(4, "a reserved field");
    out.master_pfs = r.u32("MasterPFS");
    out.options_offset = r.offset();
    out.options = r.u32("the ISAKMP options");
    out.new_dh_offset = r.offset();
    for (auto& b : out.new_dh) b = r.u8("the NewDH bytes");
    out.quick_mode_limit = r.u32("the quick-mode limit");
    out.lifetime_seconds = r.u32("the main-mode lifetime");
    r.skip(20, "the reserved bytes");
    const std::size_t count_offset = r.offset();
    const std::uint32_t count = r.u32("MethodCount");
    if (r.ok() && count > r.remaining() / method_size)
        r.fail_at(count_offset, fmt::format("MethodCount {} needs {} bytes of methods, DataLength leaves {}", count,
                                            std::uint64_t{count} * method_size, r.remaining()));
    for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
        SecurityMethodRecord m;
        m.offset = r.offset();
        r.skip(4, "the method version");
        m.cipher = r.u32("the encryption algorithm");
        r.skip(8, "the encryption key length and rounds");
        m.hash = r.u32("the hash algorithm");
        r.skip(16, "the hash key length and reserved fields");
        m.random_function = r.u8("the random function");
        r.skip(7, "reserved bytes");
        m.oakley_group = r.u32("the Oakley group");
        m.quick_mode_limit = r.u32("the quick-mode limit");
        m.lifetime_kbytes = r.u32("the lifetime in kilobytes");
        m.lifetime_seconds = r.u32("the lifetime in seconds");
        r.skip(4, "the PFS identity field");
        out.methods.push_back(m);
    }
    if (!r.ok()) return std::unexpected(r.error());
    if (r.remaining() > 0)
        out.findings.push_back({r.offset(), fmt::format("{} byte{} after the last security method; not read",
                                                        r.remaining(), r.remaining() == 1 ? "" : "s")});
    check_trailer(envelope.tail, envelope_size + envelope.data.size(), out.findings);
    return out;
}

}  // namespace winipsec::registry
