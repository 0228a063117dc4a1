#include "plugins/registry/blob_negotiation.hpp"

#include <fmt/format.h>

// Layout (§3.6): u32 OfferCount, then OfferCount offers of 80 bytes: five u32
// (lifetime s, lifetime KB, flags, PFS, AlgoCount) and three 20-byte algorithm
// slots (id, secondary id, operation, key length, rounds). Key length and
// rounds were 0x40/8 or 0 in every real blob, and unused slots hold garbage,
// so only AlgoCount slots are read and only their first three fields kept.
namespace winipsec::registry {
namespace {

constexpr std::size_t offer_size = 80;
constexpr std::size_t slot_count = 3;
constexpr std::size_t slot_size = 20;

}  // namespace

std::expected<NegotiationBlob, BlobError> decode_negotiation_blob(std::span<const std::uint8_t> blob) {
    BlobEnvelope envelope;
    if (auto error = read_envelope(blob, class_guid::negotiation, "ipsecNegotiationPolicy", envelope))
        return std::unexpected(*error);
    BlobReader r(envelope.data, envelope_size);
    NegotiationBlob out;
    const std::uint32_t count = r.u32("OfferCount");
    if (r.ok() && count > r.remaining() / offer_size)
        r.fail_at(envelope_size, fmt::format("OfferCount {} needs {} bytes of offers, DataLength leaves {}", count,
                                             std::uint64_t{count} * offer_size, r.remaining()));
    for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
        OfferRecord offer;
        offer.offset = r.offset();
        offer.lifetime_seconds = r.u32("the lifetime in seconds");
        offer.lifetime_kbytes = r.u32("the lifetime in kilobytes");
        offer.flags = r.u32("the offer flags");
        offer.pfs = r.u32("the PFS flag");
        const std::size_t count_offset = r.offset();
        const std::uint32_t algorithms = r.u32("AlgoCount");
        if (r.ok() && algorithms > slot_count) {
            r.fail_at(count_offset, fmt::format("offer {} claims {} algorithms; an offer has {} slots", i + 1,
                                                algorithms, slot_count));
            break;
        }
        for (std::size_t k = 0; k < slot_count; ++k) {
            AlgorithmSlot slot;
            slot.offset = r.offset();
            slot.id = r.u32("the algorithm id");
            slot.secondary_id = r.u32("the secondary algorithm id");
            slot.operation = r.u32("the operation");
            r.skip(slot_size - 12, "the key length and rounds");
            if (k < algorithms) offer.algorithms.push_back(slot);
        }
        out.offers.push_back(std::move(offer));
    }
    if (!r.ok()) return std::unexpected(r.error());
    if (r.remaining() > 0)
        out.findings.push_back({r.offset(), fmt::format("{} byte{} after the last offer; not read", r.remaining(),
                                                        r.remaining() == 1 ? "" : "s")});
    check_trailer(envelope.tail, envelope_size + envelope.data.size(), out.findings);
    return out;
}

}  // namespace winipsec::registry
