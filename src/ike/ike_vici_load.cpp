#include "ike/ike_vici_load.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "ike/ike_conf_tree.hpp"
#include "ike/vici_commands.hpp"

namespace winipsec::ike {
namespace {

void copy_into(ViciSection& out, const ConfNode& node) {
    for (const auto& c : node.children) {
        switch (c.kind) {
            case ConfNode::Kind::Value: out.add(c.key, c.value); break;
            case ConfNode::Kind::List: out.add_list(c.key, c.items); break;
            case ConfNode::Kind::Section: copy_into(out.add_section(c.key), c); break;
        }
    }
}

bool ours(const std::string& name) {
    return name.starts_with(ike_name_prefix);
}

// Unloads what winipsec loaded before and `keep` does not name.
std::expected<void, ViciError> unload_stale(ViciSession& session, const std::set<std::string>& keep_conns,
                                            const std::set<std::string>& keep_keys, IkeLoadReport& report) {
    auto conns = get_conns(session);
    if (!conns) return std::unexpected(conns.error());
    for (const auto& name : *conns) {
        if (!ours(name) || keep_conns.contains(name)) continue;
        if (auto r = unload_conn(session, name); !r) return std::unexpected(r.error());
        // charon 5.9.8 keeps the SAs of an unloaded connection (and may even
        // put a new child on that IKE SA): a rule the policy dropped must not
        // keep its tunnel until it expires.
        ViciTerminateRequest terminate_request;
        terminate_request.ike = name;
        terminate_request.force = true;
        terminate_request.timeout = std::chrono::seconds(5);
        if (auto t = terminate(session, terminate_request); !t) return std::unexpected(t.error());
        ++report.connections_unloaded;
    }
    auto keys = get_shared(session);
    if (!keys) return std::unexpected(keys.error());
    for (const auto& id : *keys) {
        if (!ours(id) || keep_keys.contains(id)) continue;
        if (auto r = unload_shared(session, id); !r) return std::unexpected(r.error());
        ++report.keys_unloaded;
    }
    return {};
}

}  // namespace

ViciSection vici_connection(const IkeConnection& connection) {
    ViciSection out;
    copy_into(out, connection_tree(connection));
    return out;
}

std::expected<IkeLoadReport, ViciError> load_ike_config(ViciSession& session, const IkeConfig& config) {
    IkeLoadReport report;
    std::set<std::string> conns, keys;
    // Keys first: a trap that fires right after load-conn must find its key.
    for (const auto& k : config.shared_keys) {
        ViciSharedKey key{.id = k.id, .type = "IKE", .data = k.secret, .owners = k.owners};
        if (auto r = load_shared(session, key); !r) return std::unexpected(r.error());
        keys.insert(k.id);
        ++report.keys_loaded;
    }
    for (const auto& c : config.connections) {
        if (auto r = load_conn(session, c.name, vici_connection(c)); !r) return std::unexpected(r.error());
        conns.insert(c.name);
        ++report.connections_loaded;
    }
    if (auto r = unload_stale(session, conns, keys, report); !r) return std::unexpected(r.error());
    return report;
}

std::expected<IkeLoadReport, ViciError> unload_ike_config(ViciSession& session) {
    IkeLoadReport report;
    if (auto r = unload_stale(session, {}, {}, report); !r) return std::unexpected(r.error());
    return report;
}

}  // namespace winipsec::ike
