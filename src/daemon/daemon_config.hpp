#pragma once
// winipsecd's configuration file (/etc/winipsec/winipsec.yaml, README
// "WINIPSECD"): which Windows policy files make up the store, how to plan
// them on this host, where charon and the state live, how to boot.
// Unknown keys and wrong values are errors with the file's line:column.
#include <chrono>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/filter_address.hpp"
#include "model/ip_address.hpp"
#include "model/secret.hpp"
#include "plan/plan.hpp"

namespace winipsec::daemon {

// Windows' stores (spec §2.1, §8.1): a domain (GPO) policy replaces the
// local one entirely while it is present.
enum class SourceRole { Local, Domain };
// Static policy persists (last-known-good); dynamic policy lives in memory
// only and is gone after a restart (spec §5).
enum class SourceKind { Static, Dynamic };

const char* to_string(SourceRole role);  // "local", "domain"
const char* to_string(SourceKind kind);  // "static", "dynamic"

struct PolicySource {
    std::string path;
    std::string format = "auto";
    std::optional<std::string> encoding;
    std::map<std::string, std::string> defines;  // NAME=VALUE, as --define
    SourceRole role = SourceRole::Local;
    SourceKind kind = SourceKind::Static;
    std::string where;  // "config.yaml:12:5", for messages
};

enum class BootMode {
    LastKnownGood,  // apply the persisted state, then the sources
    FailClosed,     // and with no usable last-known-good, drop all but loopback until an apply succeeds
};

enum class LogLevel { Debug, Info, Warning, Error };
const char* to_string(LogLevel level);

struct DaemonConfig {
    std::string path;  // the file read
    std::vector<PolicySource> sources;
    // Plan options (the `winipsec apply` flags of the same names).
    std::vector<IpAddress> me;  // empty: the host's addresses, followed as they change
    std::map<ServerKind, std::vector<IpAddress>> servers;
    std::optional<int> no_default_exempt;
    plan::WindowsVersion windows_version = plan::WindowsVersion::Server2003;
    plan::TieBreak tie_break = plan::TieBreak::Address;
    plan::FragmentRule fragments = plan::FragmentRule::Reassemble;
    std::string policy;
    bool host_lookups = true;
    // IKE.
    std::string vici_uri;  // empty: charon's default socket
    bool libipsec = false;
    std::vector<std::string> ca_files;
    std::optional<Secret> kerberos_fallback;
    // Daemon.
    std::filesystem::path state_directory = "/var/lib/winipsec";
    std::filesystem::path control_socket = "/run/winipsec/control";
    BootMode boot = BootMode::LastKnownGood;
    std::optional<std::chrono::seconds> poll_interval;  // absent: the policy's polling interval
    LogLevel log_level = LogLevel::Info;
};

// The error is "FILE:LINE:COLUMN: message" (or "FILE: message").
std::expected<DaemonConfig, std::string> parse_daemon_config(std::string_view text, const std::string& path);
std::expected<DaemonConfig, std::string> load_daemon_config(const std::string& path);

}  // namespace winipsec::daemon
