#pragma once
// A filter action (ipsecNegotiationPolicy, spec §3.6, §8.5).
#include <string>
#include <vector>

#include "model/crypto_suite.hpp"
#include "model/source_location.hpp"

namespace winipsec {

enum class ActionKind { Permit, Block, Negotiate };

struct FilterAction {
    std::string name;
    std::string description;
    std::string guid;
    ActionKind action = ActionKind::Negotiate;  // netsh default [I] §4.4
    bool inbound_passthrough = false;           // netsh inpass, ipseccmd INPASS
    bool fallback_to_clear = false;             // netsh soft, ipseccmd -soft
    bool quick_mode_pfs = false;                // netsh qmpfs
    std::vector<QuickModeOffer> offers;         // preference order; used when Negotiate
    bool offers_defaulted = false;              // the input gave none: Windows' default list
    SourceLocation where;
};

const char* to_string(ActionKind kind);  // "permit", "block", "negotiate"

}  // namespace winipsec
