#pragma once
// One connection security rule (spec windows-ipsec.md §11) as far as the
// legacy model can hold it, read from its options: the tags of
// `consec add rule`, or the fields of `consec show rule` mapped to them.
// Options the legacy model cannot express make the rule refused, each named
// in its own E-CONSEC-UNSUPPORTED diagnostic (a partly imported rule would
// protect different traffic, or protect it differently, than Windows does).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/rule.hpp"

namespace winipsec::consec {

struct RuleOption {
    std::string tag;  // lower case, as netsh spells it: "endpoint1", "auth1psk", ...
    std::string value;
    SourceLocation at;
    SourceLocation value_at;
};

enum class ConsecAction { RequireInRequestOut, RequestInRequestOut, RequireInRequireOut, NoAuthentication };

struct ConsecRule {
    std::string name;
    std::string description;
    bool enabled = true;
    std::vector<FilterAddress> endpoint1, endpoint2;
    std::vector<std::uint16_t> port1, port2;  // empty = any
    std::uint8_t protocol = 0;
    ConsecAction action = ConsecAction::RequireInRequestOut;
    bool tunnel = false;
    std::optional<FilterAddress> local_tunnel_endpoint, remote_tunnel_endpoint;
    ConnectionType connection_type = ConnectionType::All;
    std::vector<AuthMethod> authentication;  // empty = Windows' default (Kerberos)
    std::vector<QuickModeOffer> offers;      // empty = Windows' default offers
    bool quick_mode_pfs = false;
    SourceLocation where;
};

// The tags `consec add rule` knows (for unknown-tag suggestions and listings).
std::span<const std::string_view> rule_tags();

std::optional<ConsecRule> read_rule(std::span<const RuleOption> options, const SourceLocation& where,
                                    Diagnostics& diagnostics);

}  // namespace winipsec::consec
