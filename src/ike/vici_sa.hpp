#pragma once
// Typed views of the SA data charon sends in list-sa, ike-updown and
// child-updown events (README "list-sa"): the fields winipsec shows and
// tests, plus the section as received for anything else. Fields charon
// omits stay empty/zero; numbers charon sends as text are parsed once here.
#include <cstdint>
#include <string>
#include <vector>

#include "ike/vici_message.hpp"

namespace winipsec::ike {

struct ViciChildSa {
    std::string key;   // the child-sas section name (name-uniqueid)
    std::string name;  // the CHILD_SA config name
    std::int64_t uniqueid = 0;
    std::int64_t reqid = 0;  // what nftables `ipsec in reqid` matches
    std::string state;       // INSTALLED, REKEYING, ...
    std::string mode;        // TUNNEL, TRANSPORT, BEET
    std::string protocol;    // ESP, AH
    bool encap = false;      // UDP encapsulation
    std::string spi_in, spi_out;
    std::string encr_alg, integ_alg, dh_group;
    std::int64_t encr_keysize = 0;
    std::int64_t bytes_in = 0, bytes_out = 0, packets_in = 0, packets_out = 0;
    std::int64_t rekey_time = 0, life_time = 0, install_time = 0;
    std::vector<std::string> local_ts, remote_ts;
    ViciSection raw;
};

struct ViciIkeSa {
    std::string name;  // the connection name
    std::int64_t uniqueid = 0;
    int version = 0;    // 1 or 2
    std::string state;  // ESTABLISHED, CONNECTING, ...
    std::string local_host, local_id, remote_host, remote_id;
    std::int64_t local_port = 0, remote_port = 0;
    bool initiator = false;
    bool nat_any = false;
    std::string initiator_spi, responder_spi;
    std::string encr_alg, integ_alg, prf_alg, dh_group;
    std::int64_t encr_keysize = 0;
    std::int64_t established = 0;  // seconds
    std::vector<ViciChildSa> children;
    ViciSection raw;
};

// Every IKE SA in a list-sa or *-updown event message: each top-level
// section is one SA named by its connection (the `up` key is skipped).
std::vector<ViciIkeSa> parse_ike_sas(const ViciMessage& event);

ViciIkeSa parse_ike_sa(const std::string& name, const ViciSection& section);
ViciChildSa parse_child_sa(const std::string& key, const ViciSection& section);

}  // namespace winipsec::ike
