#pragma once
// Turning a Windows filter address into the prefixes it stands for on this
// host (spec §8.3): `me` = the local unicast addresses, `any` = /0, subnets
// as given, ranges split into prefixes, DNS names and server keywords looked
// up once per plan (and reported, since Windows froze or tracked them).
#include <map>
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/filter_address.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

// "dns", "wins", "dhcp", "gateway": the KIND of --server KIND=ADDR.
const char* server_option_name(ServerKind kind);

class AddressResolver {
public:
    AddressResolver(const PlanOptions& options, Diagnostics& diagnostics);

    // `other_family` is the family of the opposite end when that end is
    // concrete, so that `any` and `me` pair with it; V4 otherwise.
    std::vector<Prefix> resolve(const FilterAddress& address, const SourceLocation& where, IpFamily other_family);
    // The same into `out` (cleared first), reusing its storage on hot paths.
    void resolve_into(const FilterAddress& address, const SourceLocation& where, IpFamily other_family,
                      std::vector<Prefix>& out);
    // The family an address pins, if any (specific, range).
    static std::optional<IpFamily> family_of(const FilterAddress& address);

    // What each DNS name and server keyword became, for explain/translate.
    const std::map<std::string, std::vector<IpAddress>>& lookups() const { return lookups_; }

private:
    std::vector<IpAddress> servers(ServerKind kind, const SourceLocation& where);
    std::vector<IpAddress> dns_name(const std::string& name, const SourceLocation& where);

    const PlanOptions& options_;
    Diagnostics& diagnostics_;
    std::map<std::string, std::vector<IpAddress>> lookups_;
    std::map<ServerKind, std::vector<IpAddress>> server_cache_;
    bool warned_no_me_ = false;
};

}  // namespace winipsec::plan
