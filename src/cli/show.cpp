// winipsec show: the LIVE kernel state winipsec installed, read back over
// netlink (never the plan), with counters.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_status.hpp"
#include "cli/ike_status.hpp"
#include "cli/verbs.hpp"
#include "ike/vici_uri.hpp"
#include "kernel/nft_readback.hpp"
#include "kernel/xfrm_netlink.hpp"

namespace winipsec::cli {
namespace {

struct ShowOptions {
    bool counters = false;
    bool json = false;
    std::string vici_uri;  // empty: the default socket, when it exists
};

// charon is optional: without --vici its default socket is asked only when
// it exists, so a firewall-only host shows no IKE line.
std::optional<IkeStatus> ike_status_for(const ShowOptions& o) {
    if (!o.vici_uri.empty()) return read_ike_status(o.vici_uri);
    const std::string uri(ike::default_vici_uri);
    if (!std::filesystem::exists(uri.substr(std::string_view("unix://").size()))) return std::nullopt;
    return read_ike_status(uri);
}

const char* verdict_name(kernel::NftVerdict v) {
    switch (v) {
        case kernel::NftVerdict::Accept: return "accept";
        case kernel::NftVerdict::Drop: return "drop";
        case kernel::NftVerdict::None: return "count";
    }
    return "?";
}

std::string counter_text(const std::optional<kernel::NftCounter>& c) {
    if (!c) return "";
    return fmt::format(" packets {} bytes {}", c->packets, c->bytes);
}

std::string xfrm_line(const kernel::XfrmPolicy& p) {
    std::string s = fmt::format("src {} dst {}", p.selector.source.to_string(), p.selector.destination.to_string());
    if (p.selector.protocol) s += fmt::format(" proto {}", p.selector.protocol);
    if (p.selector.source_port) s += fmt::format(" sport {}", p.selector.source_port);
    if (p.selector.destination_port) s += fmt::format(" dport {}", p.selector.destination_port);
    s +=
        fmt::format(" dir {} priority {} action {}", kernel::to_string(p.dir), p.priority, kernel::to_string(p.action));
    for (const auto& t : p.templates)
        s += fmt::format(" tmpl {} {} {}{}", kernel::to_string(t.proto), kernel::to_string(t.mode),
                         t.optional ? "level use" : "level required", t.reqid ? fmt::format(" reqid {}", t.reqid) : "");
    return s;
}

int run_show(const ShowOptions& o) {
    auto nft = kernel::read_nft_state();
    if (!nft) {
        fmt::print(stderr, "winipsec show: {}\n", nft.error().message);
        return exit_status_for(nft.error());
    }
    auto xfrm = kernel::dump_xfrm_policies();
    if (!xfrm) {
        fmt::print(stderr, "winipsec show: {}\n", xfrm.error().message);
        return exit_status_for(xfrm.error());
    }
    std::vector<kernel::XfrmPolicy> ours;
    for (const auto& p : *xfrm)
        if (p.ours()) ours.push_back(p);

    const std::optional<IkeStatus> ike_status = ike_status_for(o);
    if (o.json) {
        nlohmann::ordered_json j;
        j["nft_table_present"] = nft->present;
        j["chains"] = nlohmann::ordered_json::array();
        for (const auto& c : nft->chains) {
            nlohmann::ordered_json cj;
            cj["name"] = c.name;
            cj["rules"] = nlohmann::ordered_json::array();
            for (const auto& r : c.rules) {
                nlohmann::ordered_json rj;
                rj["comment"] = r.comment;
                rj["set"] = r.set;
                rj["verdict"] = verdict_name(r.verdict);
                if (r.counter) rj["packets"] = r.counter->packets, rj["bytes"] = r.counter->bytes;
                cj["rules"].push_back(rj);
            }
            j["chains"].push_back(cj);
        }
        j["sets"] = nlohmann::ordered_json::array();
        for (const auto& s : nft->sets) {
            nlohmann::ordered_json sj;
            sj["name"] = s.name;
            sj["elements"] = nlohmann::ordered_json::array();
            for (const auto& e : s.elements) {
                nlohmann::ordered_json ej;
                ej["key"] = e.key;
                ej["source"] = e.comment;
                if (e.counter) ej["packets"] = e.counter->packets, ej["bytes"] = e.counter->bytes;
                sj["elements"].push_back(ej);
            }
            j["sets"].push_back(sj);
        }
        j["xfrm_policies"] = nlohmann::ordered_json::array();
        for (const auto& p : ours) j["xfrm_policies"].push_back(xfrm_line(p));
        if (ike_status) j["ike"] = ike_status_json(*ike_status);
        fmt::print("{}\n", j.dump(2));
        return exit_ok;
    }

    if (!nft->present && ours.empty() && (!ike_status || ike_status->sas.empty())) {
        fmt::print("winipsec has installed nothing in this network namespace.\n");
        if (ike_status && !ike_status->reachable) fmt::print("{}", render_ike_status(*ike_status, false));
        return exit_ok;
    }
    fmt::print("IP Security state (read from the kernel)\n");
    fmt::print("nftables table inet winipsec: {}\n\n", nft->present ? "present" : "absent");
    for (const auto& chain : nft->chains) {
        fmt::print("Chain {} ({} rules, first match wins)\n", chain.name, chain.rules.size());
        for (const auto& r : chain.rules) {
            fmt::print("  {:<7}{} {}\n", verdict_name(r.verdict), o.counters ? counter_text(r.counter) : "", r.comment);
            if (r.set.empty()) continue;
            if (const auto* set = nft->set(r.set)) {
                fmt::print("         {} filters in set {}:\n", set->elements.size(), set->name);
                for (const auto& e : set->elements)
                    fmt::print("           {}{}  from {}\n", e.key, o.counters ? counter_text(e.counter) : "",
                               e.comment.empty() ? "?" : e.comment);
            }
        }
        fmt::print("\n");
    }
    fmt::print("XFRM policies installed by winipsec: {}\n", ours.size());
    for (const auto& p : ours) fmt::print("  {}\n", xfrm_line(p));
    if (ike_status) fmt::print("\n{}", render_ike_status(*ike_status, o.counters));
    return exit_ok;
}

}  // namespace

VerbRunner add_show_verb(CLI::App& app) {
    auto options = std::make_shared<ShowOptions>();
    CLI::App* verb = app.add_subcommand("show", "print what winipsec installed, read back from the kernel");
    verb->footer(
        "Reads the live nftables table inet winipsec (chains in evaluation order, sets with the Windows\n"
        "filter each element came from) and winipsec's XFRM policies, and the IKE/CHILD SAs charon holds\n"
        "for winipsec's connections. Not the plan: what the kernel and charon have.\n"
        "Exit status: 0 shown, 3 the kernel could not be read.");
    verb->add_flag("--counters", options->counters, "show packet and byte counters");
    verb->add_flag("--json", options->json, "print JSON instead (counters always included)");
    verb->add_option("--vici", options->vici_uri,
                     "also list the IKE and CHILD SAs of winipsec's connections from charon at URI (default: "
                     "unix:///var/run/charon.vici when that socket exists)")
        ->type_name("URI");
    return [options] { return run_show(*options); };
}

}  // namespace winipsec::cli
