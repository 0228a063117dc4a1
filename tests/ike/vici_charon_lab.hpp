#pragma once
// What the 'ike' suite's tests share: the charons vici_charon_test.sh started
// through charon_lab.sh (their URIs and namespaces come in the environment),
// sessions to them, and the IKEv1 PSK connection a Windows static policy
// negotiates (main mode, 3DES-SHA1-MODP1024, ESP 3DES-SHA1: the Windows
// Server 2003 defaults, ../shared/spec/linux-targets.md 2.2).
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

#include "ike/vici_session.hpp"

namespace winipsec::ike::test {

// "solo": a charon of its own for command and error tests; "a" and "b": the
// two ends of the tunnel test.
inline std::string lab_env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}
inline std::string lab_uri(const std::string& charon) {
    return lab_env(("CHARON_LAB_URI_" + charon).c_str());
}
inline std::string lab_netns(const std::string& charon) {
    return lab_env(("CHARON_LAB_NS_" + charon).c_str());
}

inline ViciSession lab_session(const std::string& charon,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto session = ViciSession::connect(lab_uri(charon), {timeout, nullptr, {}});
    if (!session) FAIL(session.error().message);
    return std::move(*session);
}

struct TunnelEnds {
    std::string me, peer;             // outer (IKE) addresses
    std::string local_ts, remote_ts;  // protected subnets
};

// The connection as load-conn wants it: list keys as lists, auth rounds as
// local/remote sections, one child.
inline ViciSection windows_tunnel_connection(const TunnelEnds& ends) {
    ViciSection conn;
    conn.add("version", "1").add("aggressive", "no");
    conn.add_list("local_addrs", {ends.me}).add_list("remote_addrs", {ends.peer});
    conn.add_list("proposals", {"3des-sha1-modp1024"});
    conn.add_section("local").add("auth", "psk").add("id", ends.me);
    conn.add_section("remote").add("auth", "psk").add("id", ends.peer);
    ViciSection& child = conn.add_section("children").add_section("net");
    child.add("mode", "tunnel").add("start_action", "none");
    child.add_list("local_ts", {ends.local_ts}).add_list("remote_ts", {ends.remote_ts});
    child.add_list("esp_proposals", {"3des-sha1"});
    return conn;
}

inline int run_command(const std::string& command) {
    int status = std::system((command + " > /dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace winipsec::ike::test
