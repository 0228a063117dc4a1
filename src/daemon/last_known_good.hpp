#pragma once
// The last-known-good state: what the daemon last applied from its static
// sources, resolved down to kernel objects and charon's configuration, so it
// can be put back at boot before any interface has an address, DNS answers
// or a source file is readable (KB 813878's unprotected window at start-up).
// It holds resolved values, not the Windows inputs: re-planning at boot
// would expand `me` to nothing and fail on DNS names and server keywords.
// Dynamic policy is never in it (spec §5: volatile).
//
// One file, <state_directory>/last-known-good.json, mode 0600 (it holds the
// pre-shared keys charon needs), replaced atomically: temporary file, fsync,
// rename, fsync of the directory. A torn or foreign file reads as an error
// and is never half-applied.
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ike/ike_config.hpp"
#include "kernel/kernel_state.hpp"
#include "model/ip_address.hpp"

namespace winipsec::daemon {

struct LastKnownGood {
    kernel::KernelState kernel;
    ike::IkeConfig ike;
    std::vector<IpAddress> me;         // the addresses `me` stood for
    std::string policy;                // the assigned policy's name ("" = none)
    std::vector<std::string> sources;  // the static sources it came from
    std::size_t rules = 0;             // plan rules, for status
    std::string written_at;            // UTC, ISO 8601
};

std::filesystem::path last_known_good_path(const std::filesystem::path& state_directory);

// nullopt when there is no file (first start).
std::expected<std::optional<LastKnownGood>, std::string> read_last_known_good(
    const std::filesystem::path& state_directory);
std::expected<void, std::string> write_last_known_good(const std::filesystem::path& state_directory,
                                                       const LastKnownGood& state);

// The same when the caller already holds the kernel state's and the IKE
// configuration's JSON text (kernel_state_json.hpp, with secrets): the
// daemon serialises them once per reload to see whether anything changed,
// and at 100 000 filters serialising is a good part of a reload.
// `state.kernel` and `state.ike` are not looked at.
struct SerializedState {
    std::string kernel_json;
    std::string ike_json;
};
std::expected<void, std::string> write_last_known_good(const std::filesystem::path& state_directory,
                                                       const LastKnownGood& state, const SerializedState& serialized);

}  // namespace winipsec::daemon
