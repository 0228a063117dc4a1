// winipsecd's configuration file: every key read, unknown keys and wrong
// values refused with the line and column an editor shows.
#include <doctest/doctest.h>

#include "daemon/daemon_config.hpp"

using namespace winipsec;
using namespace winipsec::daemon;

TEST_CASE("a full configuration is read key by key") {
    auto c = parse_daemon_config(R"(sources:
  - path: /etc/winipsec/local.bat
    defines: {GW: 192.0.2.1}
  - path: /etc/winipsec/gpo.bat
    role: domain
    format: netsh
  - path: /run/q.bat
    kind: dynamic
me: [192.0.2.2, 198.51.100.2]
servers: {dns: 192.0.2.53}
no_default_exempt: 1
windows_version: xp
tie_break: protocol
fragments: block
ike: {vici: "unix:///tmp/c.vici", ipsec_stack: libipsec, kerberos_fallback: "psk:k"}
state_directory: /tmp/state
control_socket: /tmp/control
boot: fail-closed
poll_interval: 60
log_level: debug
)",
                                 "w.yaml");
    REQUIRE(c);
    REQUIRE(c->sources.size() == 3);
    CHECK(c->sources[0].defines.at("GW") == "192.0.2.1");
    CHECK(c->sources[1].role == SourceRole::Domain);
    CHECK(c->sources[1].format == "netsh");
    CHECK(c->sources[2].kind == SourceKind::Dynamic);
    CHECK(c->sources[2].where == "w.yaml:7:5");
    CHECK(c->me.size() == 2);
    CHECK(c->servers.at(ServerKind::Dns).front().to_string() == "192.0.2.53");
    CHECK(c->no_default_exempt == 1);
    CHECK(c->windows_version == plan::WindowsVersion::Xp);
    CHECK(c->tie_break == plan::TieBreak::Protocol);
    CHECK(c->fragments == plan::FragmentRule::BlockNonFirst);
    CHECK(c->vici_uri == "unix:///tmp/c.vici");
    CHECK(c->libipsec);
    CHECK(c->kerberos_fallback->reveal() == "k");
    CHECK(c->boot == BootMode::FailClosed);
    CHECK(c->poll_interval->count() == 60);
    CHECK(c->log_level == LogLevel::Debug);
}

TEST_CASE("defaults: the policy's polling interval, last-known-good boot, /var/lib and /run") {
    auto c = parse_daemon_config("sources: [{path: /a.bat}]\n", "w.yaml");
    REQUIRE(c);
    CHECK_FALSE(c->poll_interval);
    CHECK(c->boot == BootMode::LastKnownGood);
    CHECK(c->state_directory == "/var/lib/winipsec");
    CHECK(c->control_socket == "/run/winipsec/control");
    CHECK(c->sources[0].role == SourceRole::Local);
    CHECK(c->sources[0].kind == SourceKind::Static);
}

TEST_CASE("an unknown key is an error at its line and column") {
    auto c = parse_daemon_config("sources:\n  - path: /a.bat\n    rol: domain\n", "w.yaml");
    REQUIRE_FALSE(c);
    CHECK(c.error().starts_with("w.yaml:3:5: unknown key 'rol' in a source"));
    auto top = parse_daemon_config("sources: [{path: /a.bat}]\nboot_mode: fail-closed\n", "w.yaml");
    REQUIRE_FALSE(top);
    CHECK(top.error().starts_with("w.yaml:2:1: unknown key 'boot_mode'"));
}

TEST_CASE("wrong values are errors at the value") {
    auto bad_boot = parse_daemon_config("sources: [{path: /a.bat}]\nboot: closed\n", "w.yaml");
    REQUIRE_FALSE(bad_boot);
    CHECK(bad_boot.error() == "w.yaml:2:7: 'boot' must be one of last-known-good, fail-closed; got 'closed'");
    auto bad_me = parse_daemon_config("sources: [{path: /a.bat}]\nme: [192.0.2.300]\n", "w.yaml");
    REQUIRE_FALSE(bad_me);
    CHECK(bad_me.error().starts_with("w.yaml:2:5:"));
    auto relative = parse_daemon_config("sources: [{path: a.bat}]\n", "w.yaml");
    REQUIRE_FALSE(relative);
    CHECK(relative.error().find("absolute") != std::string::npos);
    auto dynamic_domain = parse_daemon_config("sources: [{path: /a.bat, kind: dynamic, role: domain}]\n", "w.yaml");
    CHECK_FALSE(dynamic_domain);
    auto twice = parse_daemon_config("sources: [{path: /a.bat}, {path: /a.bat}]\n", "w.yaml");
    CHECK_FALSE(twice);
    auto nde = parse_daemon_config("sources: [{path: /a.bat}]\nno_default_exempt: 4\n", "w.yaml");
    CHECK_FALSE(nde);
}

TEST_CASE("YAML syntax errors and empty files say where") {
    auto broken = parse_daemon_config("sources: [{path: /a.bat}\n", "w.yaml");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().starts_with("w.yaml:"));
    CHECK_FALSE(parse_daemon_config("", "w.yaml"));
    CHECK_FALSE(parse_daemon_config("sources: []\n", "w.yaml"));
}

TEST_CASE("the shipped example configuration is valid") {
    auto c = load_daemon_config(WINIPSEC_EXAMPLE_CONFIG);
    REQUIRE_MESSAGE(c, c.error());
    CHECK(c->sources.size() == 3);
    CHECK(c->boot == BootMode::LastKnownGood);
    CHECK(c->state_directory == "/var/lib/winipsec");
}
