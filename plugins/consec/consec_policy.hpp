#pragma once
// Connection security rules as a legacy policy. Windows applies every
// enabled consec rule next to (not instead of) the assigned legacy policy;
// winipsec gathers them in one static policy, "advfirewall consec", that a
// later input file adds to and `consec delete rule` takes rules out of.
//
// Mapping (spec §11.3): a transport rule is one rule whose filter list holds
// one MIRRORED filter per endpoint1 x endpoint2 x port1 x port2 combination
// (consec rules are symmetric and port1 belongs to endpoint1, as a mirrored
// filter's source port belongs to its source). A tunnel rule becomes the two
// non-mirrored rules a legacy gateway needs (spec §8.6): endpoint1 ->
// endpoint2 through the remote tunnel endpoint, endpoint2 -> endpoint1
// through the local one. Actions: requireinrequireout = negotiate;
// requireinrequestout = negotiate + fall back to clear (soft);
// requestinrequestout = negotiate + inbound passthrough + soft (Windows'
// "Request Security"); noauthentication = permit. The legacy rules keep the
// consec rule's name (a tunnel's two get " (outbound)" and " (inbound)").
#include <optional>
#include <string_view>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/consec/consec_rule.hpp"

namespace winipsec::consec {

inline constexpr std::string_view policy_name = "advfirewall consec";

class ConsecPolicy {
public:
    ConsecPolicy(PolicyStore& store, Diagnostics& diagnostics) : store_(store), d_(diagnostics) {}

    void add_rule(const ConsecRule& rule);
    // `consec delete rule name=X` (X = all: every rule).
    void delete_rules(std::string_view name, const SourceLocation& where);
    // `advfirewall set global mainmode mmsecmethods=...`
    void set_main_mode_offers(std::vector<MainModeOffer> offers, const SourceLocation& where);
    void set_main_mode_lifetime(std::uint32_t seconds, std::uint32_t quick_modes, const SourceLocation& where);
    // Once the file is read: assign the policy unless another one is.
    void finish();

    std::size_t rules_added() const { return rules_added_; }

private:
    Policy& policy(const SourceLocation& where);
    std::vector<Filter> filters(const std::vector<FilterAddress>& from, const std::vector<std::uint16_t>& from_ports,
                                const std::vector<FilterAddress>& to, const std::vector<std::uint16_t>& to_ports,
                                const ConsecRule& rule, bool mirrored);
    FilterAction action_for(const ConsecRule& rule);
    void add_legacy_rule(const ConsecRule& rule, std::string name, std::vector<Filter> filters,
                         const std::string& action, std::optional<FilterAddress> tunnel);

    PolicyStore& store_;
    Diagnostics& d_;
    std::optional<std::size_t> policy_index_;
    std::size_t rules_added_ = 0;
    bool defaults_noted_ = false;
};

}  // namespace winipsec::consec
