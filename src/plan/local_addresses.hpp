#pragma once
// The addresses Windows' `me` stands for on this host (spec §8.3): every
// unicast IPv4 address configured on an interface, loopback excluded. Legacy
// (pre-Vista) `me` is IPv4 only; IPv6 policies name their addresses.
#include <expected>
#include <vector>

#include "import/error.hpp"
#include "model/ip_address.hpp"

namespace winipsec::plan {

std::expected<std::vector<IpAddress>, Error> local_unicast_addresses();

}  // namespace winipsec::plan
