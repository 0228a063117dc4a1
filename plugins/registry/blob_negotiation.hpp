#pragma once
// The ipsecNegotiationPolicy blob (spec windows-ipsec.md §3.6): the quick-mode
// offers of a filter action, as stored. What the numbers mean is the
// resolver's business (store_filter_action.cpp).
#include <expected>
#include <span>

#include "plugins/registry/blob_reader.hpp"

namespace winipsec::registry {

struct AlgorithmSlot {
    std::uint32_t id = 0;            // AH: integrity; ESP: cipher
    std::uint32_t secondary_id = 0;  // ESP: integrity
    std::uint32_t operation = 0;     // 1 = AH, 2 = ESP
    std::size_t offset = 0;
};

struct OfferRecord {
    std::uint32_t lifetime_seconds = 0;
    std::uint32_t lifetime_kbytes = 0;
    std::uint32_t flags = 0;
    std::uint32_t pfs = 0;                  // observed: 1 = QM PFS on ([MS-GPIPSEC] says the opposite)
    std::vector<AlgorithmSlot> algorithms;  // the significant slots only (AlgoCount of 3)
    std::size_t offset = 0;
};

struct NegotiationBlob {
    std::vector<OfferRecord> offers;
    std::vector<BlobFinding> findings;
};

std::expected<NegotiationBlob, BlobError> decode_negotiation_blob(std::span<const std::uint8_t> blob);

}  // namespace winipsec::registry
