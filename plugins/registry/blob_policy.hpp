#pragma once
// The ipsecPolicy blob (spec windows-ipsec.md §3.2): the polling interval.
#include <expected>
#include <span>

#include "plugins/registry/blob_reader.hpp"

namespace winipsec::registry {

struct PolicyBlob {
    std::uint32_t polling_interval_seconds = 0;  // 0 = Windows' default (10 800 s)
    std::vector<BlobFinding> findings;
};

std::expected<PolicyBlob, BlobError> decode_policy_blob(std::span<const std::uint8_t> blob);

}  // namespace winipsec::registry
