#include "cli/ike_status.hpp"

#include <fmt/format.h>

#include "ike/ike_config.hpp"
#include "ike/vici_commands.hpp"
#include "ike/vici_session.hpp"

namespace winipsec::cli {

IkeStatus read_ike_status(const std::string& uri) {
    IkeStatus status;
    status.uri = uri;
    ike::ViciSessionOptions options;
    options.timeout = std::chrono::seconds(3);
    auto session = ike::ViciSession::connect(uri, options);
    if (!session) {
        status.error = session.error().message;
        return status;
    }
    ike::ViciSaFilter filter;
    filter.noblock = true;  // never wait behind an SA busy negotiating
    auto sas = ike::list_sas(*session, filter);
    if (!sas) {
        status.error = sas.error().message;
        return status;
    }
    status.reachable = true;
    for (auto& sa : *sas)
        if (sa.name.starts_with(ike::ike_name_prefix)) status.sas.push_back(std::move(sa));
    return status;
}

std::string render_ike_status(const IkeStatus& s, bool counters) {
    if (!s.reachable) return fmt::format("IKE: charon not reachable at {}: {}\n", s.uri, s.error);
    std::string out = fmt::format("IKE SAs of winipsec's connections (charon at {}): {}\n", s.uri, s.sas.size());
    for (const auto& sa : s.sas) {
        out += fmt::format("  {} #{} IKEv{} {} {}[{}] <-> {}[{}] {}-{}-{}{}\n", sa.name, sa.uniqueid, sa.version,
                           sa.state, sa.local_host, sa.local_id, sa.remote_host, sa.remote_id, sa.encr_alg,
                           sa.integ_alg, sa.dh_group, sa.initiator ? " (we initiated)" : "");
        for (const auto& c : sa.children) {
            std::string ts;
            for (const auto& t : c.local_ts) ts += (ts.empty() ? "" : ",") + t;
            ts += " === ";
            for (std::size_t i = 0; i < c.remote_ts.size(); ++i) ts += (i ? "," : "") + c.remote_ts[i];
            out += fmt::format("    {} {} {} {} reqid {} spi in {} out {} {}{}\n", c.name, c.state, c.mode, c.protocol,
                               c.reqid, c.spi_in, c.spi_out, ts, c.encap ? " (UDP-encapsulated)" : "");
            if (counters)
                out += fmt::format("      in {} packets {} bytes, out {} packets {} bytes\n", c.packets_in, c.bytes_in,
                                   c.packets_out, c.bytes_out);
        }
    }
    return out;
}

nlohmann::ordered_json ike_status_json(const IkeStatus& s) {
    nlohmann::ordered_json j;
    j["vici"] = s.uri;
    j["reachable"] = s.reachable;
    if (!s.reachable) j["error"] = s.error;
    j["ike_sas"] = nlohmann::ordered_json::array();
    for (const auto& sa : s.sas) {
        nlohmann::ordered_json sj;
        sj["name"] = sa.name;
        sj["uniqueid"] = sa.uniqueid;
        sj["version"] = sa.version;
        sj["state"] = sa.state;
        sj["local"] = sa.local_host;
        sj["remote"] = sa.remote_host;
        sj["local_id"] = sa.local_id;
        sj["remote_id"] = sa.remote_id;
        sj["proposal"] = fmt::format("{}-{}-{}", sa.encr_alg, sa.integ_alg, sa.dh_group);
        sj["child_sas"] = nlohmann::ordered_json::array();
        for (const auto& c : sa.children) {
            nlohmann::ordered_json cj;
            cj["name"] = c.name;
            cj["state"] = c.state;
            cj["mode"] = c.mode;
            cj["protocol"] = c.protocol;
            cj["reqid"] = c.reqid;
            cj["spi_in"] = c.spi_in;
            cj["spi_out"] = c.spi_out;
            cj["local_ts"] = c.local_ts;
            cj["remote_ts"] = c.remote_ts;
            cj["encap"] = c.encap;
            cj["packets_in"] = c.packets_in;
            cj["packets_out"] = c.packets_out;
            cj["bytes_in"] = c.bytes_in;
            cj["bytes_out"] = c.bytes_out;
            sj["child_sas"].push_back(cj);
        }
        j["ike_sas"].push_back(sj);
    }
    return j;
}

}  // namespace winipsec::cli
