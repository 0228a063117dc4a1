#include "plugins/registry/blob_policy.hpp"

#include <fmt/format.h>

namespace winipsec::registry {

std::expected<PolicyBlob, BlobError> decode_policy_blob(std::span<const std::uint8_t> blob) {
    BlobEnvelope envelope;
    if (auto error = read_envelope(blob, class_guid::policy, "ipsecPolicy", envelope)) return std::unexpected(*error);
    BlobReader r(envelope.data, envelope_size);
    PolicyBlob out;
    out.polling_interval_seconds = r.u32("the polling interval");
    if (!r.ok()) return std::unexpected(r.error());
    if (r.remaining() > 0)
        out.findings.push_back({r.offset(), fmt::format("{} byte{} after the polling interval; not read", r.remaining(),
                                                        r.remaining() == 1 ? "" : "s")});
    check_trailer(envelope.tail, envelope_size + envelope.data.size(), out.findings);
    return out;
}

}  // namespace winipsec::registry
