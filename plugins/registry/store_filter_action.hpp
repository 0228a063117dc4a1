#pragma once
// A decoded ipsecNegotiationPolicy as a model filter action: the action from
// the ipsecNegotiationPolicyAction GUID, the offers from the blob (spec
// windows-ipsec.md §3.6, §8.5).
#include <optional>

#include "model/filter_action.hpp"
#include "plugins/registry/blob_negotiation.hpp"
#include "plugins/registry/blob_site.hpp"

namespace winipsec::registry {

// {62F49E13-...}: the negotiation policy of a default response rule (§1).
bool is_default_response_type(const RegistryValue* type_value);

// nullopt when the action GUID is unknown (reported): the rules using it are
// then skipped, as Windows cannot apply them either.
std::optional<FilterAction> to_filter_action(const NegotiationBlob& blob, const RegistryValue* action_value,
                                             const RegistryValue* type_value, const BlobSite& site);

}  // namespace winipsec::registry
