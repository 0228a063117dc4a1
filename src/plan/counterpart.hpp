#pragma once
// Counterpart mode (`--as-peer-of ADDR`): the policy was exported on a Windows
// host whose address is ADDR, and this Linux host is that host's peer. The
// plan is built from the Windows host's point of view (`me` = ADDR) and then
// seen from the other end of the wire: a packet the Windows host sends is
// one we receive, so every rule keeps its selector and turns direction. What Windows negotiates with us we negotiate
// with it; what it sends in clear (exemptions, permits inside a negotiate)
// we accept in clear; rules that never reach this host are dropped.
#include <vector>

#include "import/diagnostics.hpp"
#include "plan/plan.hpp"

namespace winipsec::plan {

// `windows_side` was built with me = {ADDR}; `local` are this host's
// addresses. Re-orders and re-classes the result.
Plan counterpart_plan(Plan windows_side, const std::vector<IpAddress>& local, TieBreak tie_break,
                      Diagnostics& diagnostics);

}  // namespace winipsec::plan
