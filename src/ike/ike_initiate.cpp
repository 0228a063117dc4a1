#include "ike/ike_initiate.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace winipsec::ike {

namespace {

bool has(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string first_or(const std::vector<std::string>& items, std::string_view fallback) {
    return items.empty() ? std::string(fallback) : items.front();
}

// How far the exchange got, read from the control log in order. Message
// names are charon's: ID_PROT = main mode, QUICK_MODE = quick mode.
struct Progress {
    bool main_mode = false;      // "initiating Main Mode IKE_SA": a new IKE SA
    bool key_exchanged = false;  // MM4 (KE, nonce) parsed: the keys exist from here on
    bool auth_sent = false;      // MM5 (ID, HASH) sent
    bool ike_up = false;         // "IKE_SA ... established", or quick mode on an existing IKE SA
    bool quick_mode = false;     // a QUICK_MODE request went out
    bool received = false;       // anything came back from the peer
    bool answered_after_auth = false;
    bool floated = false;  // NAT-T moved IKE to UDP 4500 (always so with kernel-libipsec)
};

Progress read_progress(const std::vector<ViciLogLine>& log) {
    Progress p;
    for (const auto& line : log) {
        const std::string& m = line.message;
        if (has(m, "initiating Main Mode IKE_SA")) p.main_mode = true;
        if (has(m, "parsed ID_PROT response 0 [ KE")) p.key_exchanged = true;
        if (has(m, "generating ID_PROT request 0 [ ID HASH")) p.auth_sent = true;
        if (has(m, "behind NAT") || has(m, "faking NAT situation")) p.floated = true;
        if (has(m, "IKE_SA ") && has(m, " established between")) p.ike_up = true;
        if (has(m, "generating QUICK_MODE request")) {
            p.quick_mode = true;
            if (!p.main_mode) p.ike_up = true;  // an IKE SA that was already up
        }
        if (has(m, "received packet") || has(m, "parsed ")) {
            p.received = true;
            if (p.auth_sent) p.answered_after_auth = true;
        }
    }
    return p;
}

// "received NO_PROPOSAL_CHOSEN error notify" -> "NO_PROPOSAL_CHOSEN".
std::optional<std::string> error_notify(std::string_view message) {
    constexpr std::string_view prefix = "received ";
    constexpr std::string_view suffix = " error notify";
    const auto end = message.find(suffix);
    if (!message.starts_with(prefix) || end == std::string_view::npos) return std::nullopt;
    return std::string(message.substr(prefix.size(), end - prefix.size()));
}

bool main_mode_cause(InitiateCause c) {
    switch (c) {
        case InitiateCause::PskMismatch:
        case InitiateCause::PeerHasNoKey:
        case InitiateCause::AuthenticationFailed:
        case InitiateCause::PeerIdentity:
        case InitiateCause::MainModeProposal:
        case InitiateCause::PeerNotAnswering:
        case InitiateCause::NoAnswerToAuth: return true;
        default: return false;
    }
}

std::string quick_mode_offers(const IkeChild& child) {
    std::string out;
    if (!child.esp_proposals.empty()) out += "ESP " + joined(child.esp_proposals);
    if (!child.ah_proposals.empty()) out += std::string(out.empty() ? "" : "; ") + "AH " + joined(child.ah_proposals);
    return out;
}

std::string selectors(const IkeChild& child) {
    return fmt::format("{} === {}", joined(child.local_ts), joined(child.remote_ts));
}

// "CHILD_SA x{2} established with SPIs c1_i c2_o and TS 198.51.100.0/24 === 203.0.113.0/24"
std::vector<std::string> installed_ts(const std::vector<ViciLogLine>& log) {
    constexpr std::string_view marker = " and TS ";
    for (const auto& line : log) {
        const auto at = line.message.find(marker);
        if (has(line.message, "CHILD_SA ") && has(line.message, " established with SPIs") && at != std::string::npos)
            return {line.message.substr(at + marker.size())};
    }
    return {};
}

}  // namespace

InitiateFailure classify_initiate_failure(const ViciControlResult& result, const IkeConnection& connection,
                                          const IkeChild& child) {
    const Progress p = read_progress(result.log);
    const std::string peer = first_or(connection.remote_addrs, "the peer");

    // Strongest evidence first: what the peer told us, or what our own
    // decryption says, beats the retransmissions that usually follow it.
    for (const auto& line : result.log) {
        const std::string& m = line.message;
        if (has(m, "unable to install")) {
            const bool mode_refused = std::any_of(result.log.begin(), result.log.end(), [](const ViciLogLine& l) {
                return has(l.message, "unsupported mode");
            });
            return {InitiateCause::Kernel,
                    fmt::format("quick mode succeeded, but charon could not install the {} SA in the kernel{}",
                                child.mode, mode_refused ? ": kernel-libipsec carries tunnel mode only" : ""),
                    m};
        }
        if (!p.ike_up && (has(m, "decryption failed") || has(m, "could not decrypt payloads") ||
                          has(m, "calculated HASH does not match HASH payload") || has(m, "integrity check failed")))
            return {InitiateCause::PskMismatch,
                    fmt::format("pre-shared key mismatch: {} answered main mode authentication (MM6) with a message "
                                "our key cannot decrypt; give both ends the same key",
                                peer),
                    m};
        if (has(m, "IDir '") && has(m, "does not match"))
            return {InitiateCause::PeerIdentity,
                    fmt::format("peer identity mismatch: {} identified itself with another ID than {} (Windows uses "
                                "its IP address with pre-shared keys)",
                                peer, connection.remote.id.empty() ? peer : connection.remote.id),
                    m};
        if (has(m, "peer selected invalid traffic selectors") || has(m, "no acceptable traffic selectors found"))
            return {InitiateCause::TrafficSelectors,
                    fmt::format("traffic selectors unacceptable: {} answered quick mode for {} with selectors that "
                                "do not fit",
                                peer, selectors(child)),
                    m};
        const auto notify = error_notify(m);
        if (!notify) continue;
        if (*notify == "NO_PROPOSAL_CHOSEN") {
            if (p.ike_up || p.quick_mode)
                return {InitiateCause::QuickModeProposal,
                        fmt::format("no proposal chosen: main mode succeeded, but {} accepted none of our quick mode "
                                    "proposals ({})",
                                    peer, quick_mode_offers(child)),
                        m};
            return {InitiateCause::MainModeProposal,
                    fmt::format("no proposal chosen: {} accepted none of our main mode proposals ({}), or has no IKE "
                                "configuration for {}",
                                peer, joined(connection.proposals), first_or(connection.local_addrs, "this host")),
                    m};
        }
        if (*notify == "INVALID_ID_INFORMATION" || *notify == "TS_UNACCEPTABLE")
            return {InitiateCause::TrafficSelectors,
                    fmt::format("traffic selectors unacceptable: {} has no quick mode policy for {} ({})", peer,
                                selectors(child), *notify),
                    m};
        if (*notify == "AUTHENTICATION_FAILED")
            return {
                InitiateCause::AuthenticationFailed,
                fmt::format("authentication failed: {} rejected our identity {} or its key", peer,
                            connection.local.id.empty() ? first_or(connection.local_addrs, "") : connection.local.id),
                m};
        // In IKEv1 main mode the DH group is part of the proposal just
        // selected, so a KE refusal cannot be about the group: strongSwan
        // answers so when it finds no pre-shared key for the address pair.
        if (*notify == "INVALID_KE_PAYLOAD" && !p.ike_up)
            return {InitiateCause::PeerHasNoKey,
                    fmt::format("{} has no pre-shared key for {}: it refused main mode after the key exchange "
                                "(INVALID_KE_PAYLOAD)",
                                peer, first_or(connection.local_addrs, "this host")),
                    m};
        return {InitiateCause::PeerRefused, fmt::format("{} refused the negotiation ({})", peer, *notify), m};
    }

    std::string stalled;
    for (const auto& line : result.log)
        if (stalled.empty() && (has(line.message, "giving up after") || has(line.message, "peer not responding")))
            stalled = line.message;
    const bool timed_out = has(result.errmsg, "not established after");
    if (!stalled.empty() || timed_out) {
        const std::string evidence = stalled.empty() ? result.errmsg : stalled;
        if (!p.received)
            return {InitiateCause::PeerNotAnswering,
                    timed_out && stalled.empty()
                        ? fmt::format("peer not answering: nothing came back from {} before the timeout (charon keeps "
                                      "retransmitting)",
                                      peer)
                        : fmt::format("peer not answering: {} never replied (retransmits exhausted)", peer),
                    evidence};
        if (p.auth_sent && !p.answered_after_auth && !p.ike_up)
            return {InitiateCause::NoAnswerToAuth,
                    fmt::format("{} stopped answering at main mode authentication (MM5): most likely a pre-shared "
                                "key mismatch (Windows drops what it cannot decrypt){}",
                                peer, p.floated ? ", or UDP 4500 is blocked on the way (NAT-T moved IKE there)" : ""),
                    evidence};
        if (p.ike_up)
            return {InitiateCause::PeerNotAnswering,
                    fmt::format("main mode succeeded, but {} did not answer quick mode for {}", peer, selectors(child)),
                    evidence};
        return {InitiateCause::PeerNotAnswering, fmt::format("{} stopped answering during main mode", peer), evidence};
    }
    const std::string last = result.log.empty() ? std::string() : result.log.back().message;
    return {InitiateCause::Other, "charon: " + (result.errmsg.empty() ? std::string("failed") : result.errmsg), last};
}

std::expected<std::vector<ChildOutcome>, ViciError> initiate_children(ViciSession& session, const IkeConfig& config,
                                                                      const InitiateOptions& options) {
    std::vector<ChildOutcome> outcomes;
    for (const IkeConnection& connection : config.connections) {
        // charon initiates towards one address; a connection for any peer or
        // a subnet of peers can only answer.
        const bool single_peer =
            connection.remote_addrs.size() == 1 && connection.remote_addrs[0].find('/') == std::string::npos;
        std::map<std::string, std::vector<std::string>> installed;
        if (single_peer) {
            auto sas = list_sas(session, {.ike = connection.name});
            if (!sas) return std::unexpected(sas.error());
            for (const ViciIkeSa& sa : *sas)
                for (const ViciChildSa& c : sa.children)
                    if (c.state == "INSTALLED")
                        installed[c.name] = {joined(c.local_ts) + " === " + joined(c.remote_ts)};
        }
        std::optional<InitiateFailure> main_mode_failure;
        for (const IkeChild& child : connection.children) {
            ChildOutcome o;
            o.connection = connection.name;
            o.child = child.name;
            o.where = child.where;
            if (!single_peer) {
                o.failure = {InitiateCause::NotInitiated,
                             "not initiated: the peer is not a single address, so charon can only answer it", ""};
            } else if (const auto it = installed.find(child.name); it != installed.end()) {
                o.up = o.already_up = true;
                o.ts = it->second;
            } else if (main_mode_failure) {
                o.failure = *main_mode_failure;
                o.failure.text += " (not tried again for this child)";
            } else {
                auto result = initiate(
                    session, {.child = child.name, .ike = connection.name, .timeout = options.timeout, .loglevel = 1});
                if (!result) return std::unexpected(result.error());
                if (result->success) {
                    o.up = true;
                    o.ts = installed_ts(result->log);
                } else {
                    o.failure = classify_initiate_failure(*result, connection, child);
                    if (main_mode_cause(o.failure.cause)) main_mode_failure = o.failure;
                }
                o.log = std::move(result->log);
            }
            outcomes.push_back(std::move(o));
        }
    }
    return outcomes;
}

}  // namespace winipsec::ike
