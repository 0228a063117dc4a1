#pragma once
// What charon must know to negotiate a plan's NEGOTIATE rules: connections
// (IKE config + peer config) with their children, and the pre-shared keys.
// Linux vocabulary (swanctl.conf's keys, spec linux-targets.md §1.7); built
// from the plan by ike_config_build, spelled by swanctl_conf (text) and
// vici_conn_message (load-conn / load-shared requests).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/secret.hpp"
#include "model/source_location.hpp"

namespace winipsec::ike {

// Where the XFRM policies for negotiate traffic come from (README "IKE").
enum class PolicyOwner {
    // winipsec installs them in Windows' order; charon gets `policies = no`
    // and the same reqid, so it only adds SAs and answers acquires.
    Winipsec,
    // charon installs them (needed with kernel-libipsec, which never sees
    // kernel policies); winipsec gives each child a `priority` in its band.
    Charon,
};

struct IkeChild {
    std::string name;
    std::string mode = "transport";     // "transport" | "tunnel"
    std::vector<std::string> local_ts;  // "dynamic[udp/500]", "192.0.2.0/24[tcp]"
    std::vector<std::string> remote_ts;
    std::vector<std::string> esp_proposals;  // one algorithm per kind each (IKEv1)
    std::vector<std::string> ah_proposals;
    std::uint32_t life_time = 3600;     // seconds (Windows QM default)
    std::uint32_t rekey_time = 3240;    // 0.9 x life_time
    std::uint64_t life_bytes = 0;       // 0 = none
    std::string start_action = "trap";  // Windows negotiates on demand
    std::uint32_t reqid = 0;            // 0 = charon picks
    std::uint32_t priority = 0;         // 0 = charon computes
    bool policies = true;
    SourceLocation where;  // the Windows filter
};

struct IkeAuth {
    std::string method = "psk";        // "psk" | "pubkey"
    std::string id;                    // IP-address IDs, as Windows uses for PSK (spec §8.10)
    std::vector<std::string> cacerts;  // pubkey: CA certificate files (--ca)
};

struct IkeConnection {
    std::string name;                       // "winipsec-<policy>-<rule>[-n]", unique, charset of swanctl section names
    std::vector<std::string> local_addrs;   // empty = %any
    std::vector<std::string> remote_addrs;  // empty = %any
    std::vector<std::string> proposals;     // main mode, in Windows' preference order
    // Windows' main mode lifetime (480 min by default). IKEv1 cannot rekey an
    // ISAKMP SA, so charon re-authenticates before it ends (spec §1.7).
    std::uint32_t ike_lifetime = 28800;
    IkeAuth local;
    IkeAuth remote;
    std::vector<IkeChild> children;
    SourceLocation where;  // the Windows rule
};

struct IkeSharedKey {
    std::string id;                   // "winipsec-<connection>"
    Secret secret;                    // never printed unless asked
    std::vector<std::string> owners;  // identities the key is for
    SourceLocation where;
};

struct IkeConfig {
    std::vector<IkeConnection> connections;
    std::vector<IkeSharedKey> shared_keys;
};

// Name prefix of everything winipsec loads into charon; reload and flush use
// it to find what a previous apply loaded.
inline constexpr const char* ike_name_prefix = "winipsec-";

}  // namespace winipsec::ike
