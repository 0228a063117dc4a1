#pragma once
// The live IKE side for `show`: the IKE and CHILD SAs of the connections
// winipsec loaded, read from charon (list-sas), never from the plan.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ike/vici_sa.hpp"

namespace winipsec::cli {

struct IkeStatus {
    std::string uri;
    bool reachable = false;
    std::string error;                // why not reachable
    std::vector<ike::ViciIkeSa> sas;  // winipsec-* connections only
};

IkeStatus read_ike_status(const std::string& uri);
std::string render_ike_status(const IkeStatus& status, bool counters);
nlohmann::ordered_json ike_status_json(const IkeStatus& status);

}  // namespace winipsec::cli
