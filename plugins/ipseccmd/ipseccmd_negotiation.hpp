#pragma once
// The security switches of ipseccmd/ipsecpol (spec windows-ipsec.md §6.1, §6.3):
//
//   -n  BLOCK | PASS | INPASS | offer { offer }
//       offer = ( ESP[conf,auth] | AH[hash] | AH[hash]+ESP[conf,auth] ) [rekey] [PFS[n]]
//       rekey = number(K|S) [ "/" number(K|S) ]          e.g. 3600S/100000K
//   -a  PRESHARE:"key" | KERBEROS | CERT:"CA name"  (first = preferred)
//   -1s 3DES-SHA-2 DES-MD5-1 ...   main mode cipher-hash-group
//   -1k 10Q/3600S                  main mode rekey: quick modes and/or seconds
//
// "SHA" means SHA-1 (tool help, §6). Keywords are case-insensitive.
#include <cstdint>
#include <optional>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/crypto_suite.hpp"
#include "model/filter_action.hpp"
#include "model/rule.hpp"
#include "plugins/ipseccmd/ipseccmd_words.hpp"

namespace winipsec::ipseccmd {

struct NegotiationPolicy {
    ActionKind action = ActionKind::Negotiate;
    bool inbound_passthrough = false;    // INPASS
    bool quick_mode_pfs = false;         // PFS on any offer
    std::vector<QuickModeOffer> offers;  // empty for BLOCK/PASS, and for INPASS alone (Windows defaults)
};

std::optional<NegotiationPolicy> parse_negotiation_list(const std::vector<Word>& values, Diagnostics& diagnostics);

std::optional<std::vector<AuthMethod>> parse_auth_list(const std::vector<Word>& values, Diagnostics& diagnostics);

std::optional<std::vector<MainModeOffer>> parse_main_mode_list(const std::vector<Word>& values,
                                                               Diagnostics& diagnostics);

struct MainModeRekey {
    std::optional<std::uint32_t> quick_modes;  // Q: quick modes per main mode
    std::optional<std::uint32_t> seconds;      // S: main mode lifetime
};

std::optional<MainModeRekey> parse_main_mode_rekey(const Word& value, Diagnostics& diagnostics);

}  // namespace winipsec::ipseccmd
