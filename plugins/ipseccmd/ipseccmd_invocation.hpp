#pragma once
// What one ipseccmd/ipsecpol invocation asks for: the switches of a
// RawInvocation read into typed values and checked against each other
// (spec windows-ipsec.md §6.1). Applying it to a store is
// ipseccmd_commands.cpp's job.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/ipseccmd/ipseccmd_arguments.hpp"
#include "plugins/ipseccmd/ipseccmd_filter_spec.hpp"
#include "plugins/ipseccmd/ipseccmd_negotiation.hpp"

namespace winipsec::ipseccmd {

struct NameAt {
    std::string name;
    SourceLocation where;
};

struct Invocation {
    SourceLocation where;  // the program word (or the VBScript string)

    // -w REG | DS[:domain]: static mode; without -w the tool runs in dynamic mode.
    bool static_mode = false;
    StoreLocation location = StoreLocation::Local;

    std::optional<NameAt> policy;                  // -p name
    std::optional<std::uint32_t> polling_minutes;  // -p name:minutes
    std::vector<NameAt> rules;                     // -r (several only with -o)

    bool has_filters = false;                      // -f given
    std::vector<FilterSpec> filters;               // every spec of every -f
    std::optional<NegotiationPolicy> negotiation;  // -n
    SourceLocation negotiation_where;
    std::optional<std::vector<AuthMethod>> authentication;  // -a
    std::optional<FilterAddress> tunnel;                    // -t
    std::optional<ConnectionType> connection;               // -dialup / -lan
    bool soft = false;                                      // -soft

    std::optional<std::vector<MainModeOffer>> main_mode_offers;  // -1s
    std::optional<MainModeRekey> main_mode_rekey;                // -1k
    bool master_pfs = false;                                     // -1p

    bool assign = false;          // -x
    bool unassign = false;        // -y
    bool remove = false;          // -o
    bool delete_dynamic = false;  // -u

    bool has_default_spec() const;
};

// Reads and checks the switches. Errors are reported and give nullopt (the
// tool would have refused the whole command line); warnings do not.
std::optional<Invocation> interpret(const RawInvocation& raw, Diagnostics& diagnostics);

}  // namespace winipsec::ipseccmd
