#pragma once
// charon's kernel-libipsec does ESP in userspace: a decrypted packet comes
// back through its TUN device with no secpath, so `meta ipsec exists` never
// matches it (spec linux-targets.md §3) and the clear-text drop of a
// negotiate filter would drop it. With that stack, what arrives from the TUN
// device counts as protected: libipsec put it there after checking its SA.
#include <string_view>

#include "kernel/nft_ruleset.hpp"

namespace winipsec::kernel {

// Every rule that accepts a packet because it carries a secpath gets a twin
// right after it that accepts it because it came in on `interface`.
void trust_libipsec_interface(NftRuleset& ruleset, std::string_view interface);

}  // namespace winipsec::kernel
