#pragma once
// What a decoded ipsecNFA says about its rule: authentication methods, the
// Vista+ per-method flags, connection type, tunnel endpoint and the active
// flag (spec windows-ipsec.md §3.5, §8.6). Filter list and filter action come
// from the NFA's references (store_resolver.cpp).
#include "model/rule.hpp"
#include "plugins/registry/blob_nfa.hpp"
#include "plugins/registry/blob_site.hpp"

namespace winipsec::registry {

void apply_nfa(const NfaBlob& blob, const BlobSite& site, Rule& rule);

}  // namespace winipsec::registry
