#include "cli/store_json.hpp"

namespace winipsec::cli {
namespace {

using json = nlohmann::ordered_json;

json location(const SourceLocation& where) {
    if (!where.known()) return nullptr;
    return where.to_string();
}

json address(const FilterAddress& a) {
    json j;
    switch (a.kind) {
        case AddressKind::Me: j["kind"] = "me"; break;
        case AddressKind::Any: j["kind"] = "any"; break;
        case AddressKind::Specific:
            j["kind"] = "specific";
            j["address"] = a.address.to_string();
            j["prefix_length"] = a.prefix_length;
            break;
        case AddressKind::Range:
            j["kind"] = "range";
            j["first"] = a.address.to_string();
            j["last"] = a.range_last.to_string();
            break;
        case AddressKind::DnsName:
            j["kind"] = "dns_name";
            j["name"] = a.dns_name;
            j["prefix_length"] = a.prefix_length;
            break;
        case AddressKind::Server:
            j["kind"] = "server";
            j["server"] = to_string(a.server);
            break;
    }
    return j;
}

json filter_action(const FilterAction& a) {
    json j;
    j["name"] = a.name;
    j["description"] = a.description;
    j["guid"] = a.guid.empty() ? json(nullptr) : json(a.guid);
    j["action"] = to_string(a.action);
    j["inbound_passthrough"] = a.inbound_passthrough;
    j["fallback_to_clear"] = a.fallback_to_clear;
    j["quick_mode_pfs"] = a.quick_mode_pfs;
    j["offers"] = json::array();
    for (const auto& o : a.offers) j["offers"].push_back(to_string(o));
    j["offers_defaulted"] = a.offers_defaulted;
    j["source"] = location(a.where);
    return j;
}

json rule(const Rule& r, const JsonOptions& options) {
    json j;
    j["name"] = r.name;
    j["description"] = r.description;
    j["default_response"] = r.default_response;
    j["active"] = r.active;
    j["filter_list"] = r.default_response ? json(nullptr) : json(r.filter_list);
    j["filter_action"] = r.default_response ? json(nullptr) : json(r.filter_action);
    if (r.default_response_action) j["default_response_action"] = filter_action(*r.default_response_action);
    j["tunnel_endpoint"] = r.tunnel_endpoint ? address(*r.tunnel_endpoint) : json(nullptr);
    j["connection_type"] = to_string(r.connection_type);
    j["authentication"] = json::array();
    for (const auto& m : r.authentication) {
        json a;
        a["kind"] = to_string(m.kind);
        if (m.kind == AuthKind::PresharedKey)
            a["preshared_key"] = options.show_secrets ? m.preshared_key.reveal() : Secret::redacted;
        if (m.kind == AuthKind::Certificate) {
            a["root_ca"] = m.certificate_ca;
            a["certificate_map"] = m.certificate_map;
            a["exclude_ca_name"] = m.exclude_ca_name;
        }
        j["authentication"].push_back(a);
    }
    j["authentication_defaulted"] = r.authentication_defaulted;
    j["source"] = location(r.where);
    return j;
}

}  // namespace

json store_to_json(const PolicyStore& store, const JsonOptions& options) {
    json j;
    j["format_version"] = 1;
    const Policy* assigned = store.assigned_policy();
    j["assigned_policy"] = assigned ? json(assigned->name) : json(nullptr);
    j["no_default_exempt"] = store.no_default_exempt ? json(*store.no_default_exempt) : json(nullptr);
    j["policies"] = json::array();
    for (const auto& p : store.policies) {
        json pj;
        pj["name"] = p.name;
        pj["description"] = p.description;
        pj["guid"] = p.guid.empty() ? json(nullptr) : json(p.guid);
        pj["origin"] = to_string(p.origin);
        pj["location"] = to_string(p.location);
        pj["assigned"] = p.assigned;
        pj["polling_interval_minutes"] = p.polling_interval_minutes;
        json mm;
        mm["offers"] = json::array();
        for (const auto& o : p.main_mode.offers) mm["offers"].push_back(to_string(o));
        mm["lifetime_seconds"] = p.main_mode.lifetime_seconds;
        mm["quick_modes_per_main_mode"] = p.main_mode.quick_modes_per_main_mode;
        mm["master_pfs"] = p.main_mode.master_pfs;
        pj["main_mode"] = mm;
        pj["rules"] = json::array();
        for (const auto& r : p.rules) pj["rules"].push_back(rule(r, options));
        pj["source"] = location(p.where);
        j["policies"].push_back(pj);
    }
    j["filter_lists"] = json::array();
    for (const auto& l : store.filter_lists) {
        json lj;
        lj["name"] = l.name;
        lj["description"] = l.description;
        lj["guid"] = l.guid.empty() ? json(nullptr) : json(l.guid);
        lj["filters"] = json::array();
        for (const auto& f : l.filters) {
            json fj;
            fj["source_address"] = address(f.source);
            fj["destination_address"] = address(f.destination);
            fj["protocol"] = f.protocol;
            fj["source_port"] = f.source_port;
            fj["destination_port"] = f.destination_port;
            fj["mirrored"] = f.mirrored;
            fj["description"] = f.description;
            fj["source"] = location(f.where);
            lj["filters"].push_back(fj);
        }
        lj["source"] = location(l.where);
        j["filter_lists"].push_back(lj);
    }
    j["filter_actions"] = json::array();
    for (const auto& a : store.filter_actions) j["filter_actions"].push_back(filter_action(a));
    return j;
}

}  // namespace winipsec::cli
