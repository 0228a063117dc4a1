#include "daemon/daemon_config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "plan/exemptions.hpp"

namespace winipsec::daemon {

const char* to_string(SourceRole role) {
    return role == SourceRole::Domain ? "domain" : "local";
}
const char* to_string(SourceKind kind) {
    return kind == SourceKind::Dynamic ? "dynamic" : "static";
}
const char* to_string(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

namespace {

// yaml-cpp reports through exceptions; the reader below does the same so a
// fault deep in a nested key unwinds to the one place that turns it into
// the returned message.
struct ConfigFault {
    YAML::Mark mark;
    std::string message;
};

class ConfigReader {
public:
    explicit ConfigReader(std::string path) : path_(std::move(path)) {}

    std::string where(const YAML::Node& node) const {
        const YAML::Mark m = node.Mark();
        return m.is_null() ? path_ : fmt::format("{}:{}:{}", path_, m.line + 1, m.column + 1);
    }

    [[noreturn]] static void fail(const YAML::Node& node, std::string message) {
        throw ConfigFault{node.Mark(), std::move(message)};
    }

    // Every key of `map` must be one of `known`; the error names the first stranger.
    static void only_keys(const YAML::Node& map, std::string_view what, std::initializer_list<std::string_view> known) {
        if (!map.IsMap()) fail(map, fmt::format("{} must be a mapping of keys to values", what));
        for (const auto& kv : map) {
            const std::string key = kv.first.as<std::string>();
            bool ok = false;
            for (auto k : known) ok |= key == k;
            if (!ok) {
                std::string list;
                for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
                fail(kv.first, fmt::format("unknown key '{}' in {} (known: {})", key, what, list));
            }
        }
    }

    static std::string scalar(const YAML::Node& node, std::string_view key) {
        if (!node.IsScalar()) fail(node, fmt::format("'{}' must be a single value", key));
        return node.Scalar();
    }

    static std::vector<std::string> scalars(const YAML::Node& node, std::string_view key) {
        std::vector<std::string> out;
        if (node.IsScalar()) {
            out.push_back(node.Scalar());
            return out;
        }
        if (!node.IsSequence()) fail(node, fmt::format("'{}' must be a value or a list of values", key));
        for (const auto& item : node) out.push_back(scalar(item, key));
        return out;
    }

    static std::string one_of(const YAML::Node& node, std::string_view key,
                              std::initializer_list<std::string_view> allowed) {
        const std::string v = scalar(node, key);
        std::string list;
        for (auto a : allowed) {
            if (v == a) return v;
            list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
        }
        fail(node, fmt::format("'{}' must be one of {}; got '{}'", key, list, v));
    }

    static bool boolean(const YAML::Node& node, std::string_view key) {
        const std::string v = scalar(node, key);
        if (v == "true" || v == "yes" || v == "on") return true;
        if (v == "false" || v == "no" || v == "off") return false;
        fail(node, fmt::format("'{}' must be true or false; got '{}'", key, v));
    }

    static long integer(const YAML::Node& node, std::string_view key, long low, long high) {
        const std::string v = scalar(node, key);
        std::size_t used = 0;
        long n = 0;
        try {
            n = std::stol(v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v.size() || v.empty() || n < low || n > high)
            fail(node, fmt::format("'{}' must be a whole number from {} to {}; got '{}'", key, low, high, v));
        return n;
    }

    static std::vector<IpAddress> addresses(const YAML::Node& node, std::string_view key) {
        std::vector<IpAddress> out;
        for (const auto& text : scalars(node, key)) {
            auto a = IpAddress::parse(text);
            if (!a) fail(node, fmt::format("'{}': '{}' is not an IPv4 or IPv6 address", key, text));
            out.push_back(*a);
        }
        return out;
    }

    PolicySource source(const YAML::Node& node) const {
        only_keys(node, "a source", {"path", "format", "encoding", "defines", "role", "kind"});
        PolicySource s;
        s.where = where(node);
        if (!node["path"]) fail(node, "a source needs a 'path'");
        s.path = scalar(node["path"], "path");
        if (s.path.empty() || s.path.front() != '/') fail(node["path"], "'path' must be an absolute path");
        if (node["format"]) s.format = scalar(node["format"], "format");
        if (node["encoding"]) s.encoding = scalar(node["encoding"], "encoding");
        if (const auto d = node["defines"]) {
            if (!d.IsMap()) fail(d, "'defines' must map NAME to VALUE");
            for (const auto& kv : d) s.defines[scalar(kv.first, "defines")] = scalar(kv.second, "defines");
        }
        if (node["kind"])
            s.kind = one_of(node["kind"], "kind", {"static", "dynamic"}) == "dynamic" ? SourceKind::Dynamic
                                                                                      : SourceKind::Static;
        if (node["role"]) {
            s.role =
                one_of(node["role"], "role", {"local", "domain"}) == "domain" ? SourceRole::Domain : SourceRole::Local;
            // Windows' dynamic SPD sits beside whichever static policy is
            // assigned, domain or local (spec E4): it has no store role.
            if (s.kind == SourceKind::Dynamic)
                fail(node["role"], "a dynamic source has no role (dynamic policy applies beside local and domain)");
        }
        return s;
    }

    void ike(const YAML::Node& node, DaemonConfig& c) const {
        only_keys(node, "'ike'", {"vici", "ipsec_stack", "ca", "kerberos_fallback"});
        if (node["vici"]) c.vici_uri = scalar(node["vici"], "vici");
        if (node["ipsec_stack"])
            c.libipsec = one_of(node["ipsec_stack"], "ipsec_stack", {"kernel", "libipsec"}) == "libipsec";
        if (node["ca"]) c.ca_files = scalars(node["ca"], "ca");
        if (const auto k = node["kerberos_fallback"]) {
            const std::string v = scalar(k, "kerberos_fallback");
            if (!v.starts_with("psk:") || v.size() == 4) fail(k, "'kerberos_fallback' must be psk:KEY");
            c.kerberos_fallback = Secret(v.substr(4));
        }
    }

    void servers(const YAML::Node& node, DaemonConfig& c) const {
        only_keys(node, "'servers'", {"dns", "wins", "dhcp", "gateway"});
        const std::pair<const char*, ServerKind> kinds[] = {{"dns", ServerKind::Dns},
                                                            {"wins", ServerKind::Wins},
                                                            {"dhcp", ServerKind::Dhcp},
                                                            {"gateway", ServerKind::Gateway}};
        for (const auto& [name, kind] : kinds)
            if (node[name]) c.servers[kind] = addresses(node[name], name);
    }

    DaemonConfig read(const YAML::Node& root) const {
        DaemonConfig c;
        c.path = path_;
        if (!root.IsDefined() || root.IsNull()) fail(root, "the file is empty; it needs at least 'sources'");
        only_keys(
            root, "the configuration",
            {"sources", "me", "servers", "no_default_exempt", "windows_version", "tie_break", "fragments", "policy",
             "host_lookups", "ike", "state_directory", "control_socket", "boot", "poll_interval", "log_level"});
        const auto sources = root["sources"];
        if (!sources || !sources.IsSequence() || sources.size() == 0)
            fail(sources ? sources : root, "'sources' must list at least one policy source");
        std::set<std::string> paths;
        for (const auto& s : sources) {
            c.sources.push_back(source(s));
            if (!paths.insert(c.sources.back().path).second)
                fail(s, fmt::format("'{}' is listed twice", c.sources.back().path));
        }
        if (root["me"]) c.me = addresses(root["me"], "me");
        if (root["servers"]) servers(root["servers"], c);
        if (root["no_default_exempt"])
            c.no_default_exempt = static_cast<int>(integer(root["no_default_exempt"], "no_default_exempt", 0, 3));
        if (const auto v = root["windows_version"]) {
            auto version = plan::parse_windows_version(scalar(v, "windows_version"));
            if (!version) fail(v, "'windows_version' must be one of 2000, xp, xpsp2, 2003, vista+");
            c.windows_version = *version;
        }
        if (root["tie_break"])
            c.tie_break = one_of(root["tie_break"], "tie_break", {"address", "protocol"}) == "protocol"
                              ? plan::TieBreak::Protocol
                              : plan::TieBreak::Address;
        if (root["fragments"]) {
            const std::string f = one_of(root["fragments"], "fragments", {"reassemble", "block", "ignore"});
            c.fragments = f == "block"    ? plan::FragmentRule::BlockNonFirst
                          : f == "ignore" ? plan::FragmentRule::Ignore
                                          : plan::FragmentRule::Reassemble;
        }
        if (root["policy"]) c.policy = scalar(root["policy"], "policy");
        if (root["host_lookups"]) c.host_lookups = boolean(root["host_lookups"], "host_lookups");
        if (root["ike"]) ike(root["ike"], c);
        if (root["state_directory"]) {
            c.state_directory = scalar(root["state_directory"], "state_directory");
            if (!c.state_directory.is_absolute())
                fail(root["state_directory"], "'state_directory' must be an absolute path");
        }
        if (root["control_socket"]) {
            c.control_socket = scalar(root["control_socket"], "control_socket");
            if (!c.control_socket.is_absolute())
                fail(root["control_socket"], "'control_socket' must be an absolute path");
        }
        if (root["boot"])
            c.boot = one_of(root["boot"], "boot", {"last-known-good", "fail-closed"}) == "fail-closed"
                         ? BootMode::FailClosed
                         : BootMode::LastKnownGood;
        if (const auto p = root["poll_interval"]) {
            if (p.IsScalar() && p.Scalar() == "policy")
                c.poll_interval.reset();
            else
                c.poll_interval = std::chrono::seconds(integer(p, "poll_interval", 1, 7 * 24 * 3600));
        }
        if (root["log_level"]) {
            const std::string l = one_of(root["log_level"], "log_level", {"debug", "info", "warning", "error"});
            c.log_level = l == "debug"     ? LogLevel::Debug
                          : l == "warning" ? LogLevel::Warning
                          : l == "error"   ? LogLevel::Error
                                           : LogLevel::Info;
        }
        return c;
    }

private:
    std::string path_;
};

}  // namespace

std::expected<DaemonConfig, std::string> parse_daemon_config(std::string_view text, const std::string& path) {
    const ConfigReader reader(path);
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        return reader.read(root);
    } catch (const ConfigFault& f) {
        if (f.mark.is_null()) return std::unexpected(fmt::format("{}: {}", path, f.message));
        return std::unexpected(fmt::format("{}:{}:{}: {}", path, f.mark.line + 1, f.mark.column + 1, f.message));
    } catch (const YAML::Exception& e) {
        if (e.mark.is_null()) return std::unexpected(fmt::format("{}: {}", path, e.msg));
        return std::unexpected(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
}

std::expected<DaemonConfig, std::string> load_daemon_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(fmt::format("{}: cannot read the configuration file", path));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_daemon_config(text.str(), path);
}

}  // namespace winipsec::daemon
