#include "ike/vici_commands.hpp"

#include <fmt/format.h>

namespace winipsec::ike {
namespace {

std::string text(const ViciSection& section, std::string_view key) {
    const std::string* value = section.value(key);
    return value ? *value : std::string();
}

std::vector<std::string> items(const ViciSection& section, std::string_view key) {
    const auto* list = section.list(key);
    return list ? *list : std::vector<std::string>{};
}

ViciControlResult control_result(ViciStreamedReply reply) {
    ViciControlResult result;
    result.success = reply.response.flag("success").value_or(false);
    result.errmsg = text(reply.response, "errmsg");
    result.matches = reply.response.number("matches").value_or(0);
    result.terminated = reply.response.number("terminated").value_or(0);
    for (const auto& event : reply.events) result.log.push_back(parse_log_line(event));
    return result;
}

// charon waits `timeout` for the outcome before it answers; the session must
// wait at least that long plus its usual margin.
std::chrono::milliseconds control_wait(const ViciSession& session, std::chrono::milliseconds timeout) {
    return (timeout.count() > 0 ? timeout : std::chrono::milliseconds{0}) + session.timeout();
}

}  // namespace

std::expected<ViciVersion, ViciError> vici_version(ViciSession& session) {
    auto reply = session.request("version");
    if (!reply) return std::unexpected(reply.error());
    return ViciVersion{text(*reply, "daemon"), text(*reply, "version"), text(*reply, "sysname"),
                       text(*reply, "release"), text(*reply, "machine")};
}

std::expected<ViciStats, ViciError> vici_stats(ViciSession& session) {
    auto reply = session.request("stats");
    if (!reply) return std::unexpected(reply.error());
    ViciStats stats;
    if (const ViciSection* ikesas = reply->section("ikesas")) {
        stats.ike_sas_total = ikesas->number("total").value_or(0);
        stats.ike_sas_half_open = ikesas->number("half-open").value_or(0);
    }
    if (const ViciSection* uptime = reply->section("uptime")) stats.uptime_since = text(*uptime, "since");
    stats.plugins = items(*reply, "plugins");
    stats.raw = std::move(*reply);
    return stats;
}

std::expected<void, ViciError> load_conn(ViciSession& session, std::string_view name, const ViciSection& connection) {
    ViciMessage request;
    request.add_section(std::string(name), connection);
    auto reply = session.request_checked("load-conn", request);
    if (!reply) return std::unexpected(reply.error());
    return {};
}

std::expected<void, ViciError> unload_conn(ViciSession& session, std::string_view name) {
    ViciMessage request;
    request.add("name", std::string(name));
    auto reply = session.request_checked("unload-conn", request);
    if (!reply) return std::unexpected(reply.error());
    return {};
}

std::expected<std::vector<std::string>, ViciError> get_conns(ViciSession& session) {
    auto reply = session.request("get-conns");
    if (!reply) return std::unexpected(reply.error());
    return items(*reply, "conns");
}

std::expected<std::vector<ViciConnection>, ViciError> list_conns(ViciSession& session, std::string_view ike) {
    ViciMessage request;
    if (!ike.empty()) request.add("ike", std::string(ike));
    auto reply = session.request_streamed("list-conns", request, "list-conn");
    if (!reply) return std::unexpected(reply.error());
    std::vector<ViciConnection> connections;
    for (const auto& event : reply->events)
        for (const auto& entry : event.entries())
            if (entry.kind == ViciEntry::Kind::Section) connections.push_back({entry.name, entry.section});
    return connections;
}

std::expected<void, ViciError> load_shared(ViciSession& session, const ViciSharedKey& key) {
    ViciMessage request;
    if (!key.id.empty()) request.add("id", key.id);
    request.add("type", key.type);
    request.add("data", key.data.reveal());  // the one place the PSK leaves the process
    request.add_list("owners", key.owners);
    auto reply = session.request_checked("load-shared", request);
    if (!reply) return std::unexpected(reply.error());
    return {};
}

std::expected<void, ViciError> unload_shared(ViciSession& session, std::string_view id) {
    ViciMessage request;
    request.add("id", std::string(id));
    auto reply = session.request_checked("unload-shared", request);
    if (!reply) return std::unexpected(reply.error());
    return {};
}

std::expected<std::vector<std::string>, ViciError> get_shared(ViciSession& session) {
    auto reply = session.request("get-shared");
    if (!reply) return std::unexpected(reply.error());
    return items(*reply, "keys");
}

ViciLogLine parse_log_line(const ViciMessage& event) {
    return ViciLogLine{text(event, "group"), static_cast<int>(event.number("level").value_or(0)),
                       text(event, "ikesa-name"), text(event, "msg")};
}

std::expected<ViciControlResult, ViciError> initiate(ViciSession& session, const ViciInitiateRequest& request) {
    ViciMessage arguments;
    arguments.add("child", request.child);
    if (!request.ike.empty()) arguments.add("ike", request.ike);
    arguments.add("timeout", std::to_string(request.timeout.count()));
    arguments.add("loglevel", std::to_string(request.loglevel));
    auto reply = session.request_streamed("initiate", arguments, "control-log", control_wait(session, request.timeout));
    if (!reply) return std::unexpected(reply.error());
    return control_result(std::move(*reply));
}

std::expected<ViciControlResult, ViciError> terminate(ViciSession& session, const ViciTerminateRequest& request) {
    ViciMessage arguments;
    if (!request.child.empty()) arguments.add("child", request.child);
    if (!request.ike.empty()) arguments.add("ike", request.ike);
    if (request.child_id) arguments.add("child-id", std::to_string(*request.child_id));
    if (request.ike_id) arguments.add("ike-id", std::to_string(*request.ike_id));
    if (request.force) arguments.add("force", "yes");
    arguments.add("timeout", std::to_string(request.timeout.count()));
    arguments.add("loglevel", std::to_string(request.loglevel));
    auto reply =
        session.request_streamed("terminate", arguments, "control-log", control_wait(session, request.timeout));
    if (!reply) return std::unexpected(reply.error());
    return control_result(std::move(*reply));
}

std::expected<std::vector<ViciIkeSa>, ViciError> list_sas(ViciSession& session, const ViciSaFilter& filter) {
    ViciMessage arguments;
    if (filter.noblock) arguments.add("noblock", "yes");
    if (!filter.ike.empty()) arguments.add("ike", filter.ike);
    if (filter.ike_id) arguments.add("ike-id", std::to_string(*filter.ike_id));
    if (!filter.child.empty()) arguments.add("child", filter.child);
    if (filter.child_id) arguments.add("child-id", std::to_string(*filter.child_id));
    auto reply = session.request_streamed("list-sas", arguments, "list-sa");
    if (!reply) return std::unexpected(reply.error());
    std::vector<ViciIkeSa> sas;
    for (const auto& event : reply->events)
        for (auto& sa : parse_ike_sas(event)) sas.push_back(std::move(sa));
    return sas;
}

}  // namespace winipsec::ike
