#include "ike/ike_conf_tree.hpp"

#include <fmt/format.h>

namespace winipsec::ike {

ConfNode& ConfNode::add_value(std::string k, std::string v) {
    children.push_back({Kind::Value, std::move(k), std::move(v), {}, {}});
    return *this;
}

ConfNode& ConfNode::add_list(std::string k, std::vector<std::string> list) {
    children.push_back({Kind::List, std::move(k), {}, std::move(list), {}});
    return *this;
}

ConfNode& ConfNode::add_section(std::string k) {
    children.push_back(section(std::move(k)));
    return children.back();
}

namespace {

std::string seconds(std::uint64_t s) {
    return fmt::format("{}s", s);
}

void add_auth(ConfNode& parent, const char* key, const IkeAuth& auth) {
    ConfNode& s = parent.add_section(key);
    s.add_value("auth", auth.method);
    if (!auth.id.empty()) s.add_value("id", auth.id);
    if (!auth.cacerts.empty()) s.add_list("cacerts", auth.cacerts);
}

void add_child(ConfNode& children, const IkeChild& c) {
    ConfNode& s = children.add_section(c.name);
    s.add_value("mode", c.mode);
    s.add_list("local_ts", c.local_ts);
    s.add_list("remote_ts", c.remote_ts);
    if (!c.esp_proposals.empty()) s.add_list("esp_proposals", c.esp_proposals);
    if (!c.ah_proposals.empty()) s.add_list("ah_proposals", c.ah_proposals);
    s.add_value("rekey_time", seconds(c.rekey_time));
    s.add_value("life_time", seconds(c.life_time));
    if (c.life_bytes) {
        // Rekey before the volume runs out, as for time (10 % margin).
        s.add_value("rekey_bytes", std::to_string(c.life_bytes - c.life_bytes / 10));
        s.add_value("life_bytes", std::to_string(c.life_bytes));
    }
    s.add_value("start_action", c.start_action);
    if (c.reqid) s.add_value("reqid", std::to_string(c.reqid));
    if (c.priority) s.add_value("priority", std::to_string(c.priority));
    s.add_value("policies", c.policies ? "yes" : "no");
}

}  // namespace

ConfNode connection_tree(const IkeConnection& c) {
    ConfNode conn = ConfNode::section(c.name);
    conn.add_value("version", "1");  // Windows' legacy policy speaks IKEv1 only (spec §8.9)
    conn.add_value("aggressive", "no");
    if (!c.local_addrs.empty()) conn.add_list("local_addrs", c.local_addrs);
    if (!c.remote_addrs.empty()) conn.add_list("remote_addrs", c.remote_addrs);
    conn.add_list("proposals", c.proposals);
    // IKEv1 cannot rekey an ISAKMP SA: reauthenticate before Windows' main
    // mode lifetime ends and never keep the SA beyond it.
    conn.add_value("rekey_time", "0s");
    conn.add_value("reauth_time", seconds(c.ike_lifetime - c.ike_lifetime / 10));
    conn.add_value("over_time", seconds(c.ike_lifetime / 10));
    add_auth(conn, "local", c.local);
    add_auth(conn, "remote", c.remote);
    ConfNode& children = conn.add_section("children");
    for (const auto& child : c.children) add_child(children, child);
    return conn;
}

}  // namespace winipsec::ike
