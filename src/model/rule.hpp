#pragma once
// A rule (ipsecNFA): one filter list bound to one filter action, with
// authentication, tunnel endpoint and connection type (spec §1, §8.6).
#include <optional>
#include <string>
#include <vector>

#include "model/filter_action.hpp"
#include "model/filter_address.hpp"
#include "model/secret.hpp"
#include "model/source_location.hpp"

namespace winipsec {

enum class AuthKind { Kerberos, PresharedKey, Certificate };

struct AuthMethod {
    AuthKind kind = AuthKind::Kerberos;
    Secret preshared_key;        // PresharedKey
    std::string certificate_ca;  // Certificate: root CA distinguished name
    bool certificate_map = false;
    bool exclude_ca_name = false;
    SourceLocation where;
};

enum class ConnectionType { All, Lan, Dialup };

struct Rule {
    std::string name;
    std::string description;
    std::string guid;
    std::string filter_list;    // name of a FilterList in the store; empty for the default response rule
    std::string filter_action;  // name of a FilterAction in the store
    bool active = true;
    bool default_response = false;
    // The default response rule has no named filter action: its negotiation
    // policy belongs to the policy (spec §8.7).
    std::optional<FilterAction> default_response_action;
    std::optional<FilterAddress> tunnel_endpoint;  // absent = transport mode
    ConnectionType connection_type = ConnectionType::All;
    std::vector<AuthMethod> authentication;  // preference order
    bool authentication_defaulted = false;   // none given: Windows' dynamic default (Kerberos)
    SourceLocation where;
};

// The default response rule every policy has (spec §1, §8.7): no filter
// list, negotiate with Windows' default offers, Kerberos authentication.
Rule make_default_response_rule(const SourceLocation& where, bool active);

const char* to_string(AuthKind kind);        // "kerberos", "psk", "certificate"
const char* to_string(ConnectionType type);  // "all", "lan", "dialup"

}  // namespace winipsec
