#include "kernel/xfrm_apply.hpp"

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kernel/xfrm_netlink.hpp"

namespace winipsec::kernel {
namespace {

struct Step {
    XfrmChange change;
    XfrmPolicy policy;                   // what to send
    std::optional<XfrmPolicy> previous;  // Update: the installed version (for undo)
};

std::string describe(const XfrmPolicy& p) {
    return fmt::format("dir {} {} priority {}{}", to_string(p.dir), p.selector.to_string(), p.priority,
                       p.origin.empty() ? "" : " (" + p.origin + ")");
}

// Chooses winipsec indexes no policy in the namespace uses: an index in use
// would be silently replaced by a kernel-generated one and the policy would
// lose its ownership marker (xfrm_gen_index; see xfrm_policy.hpp).
class IndexAllocator {
public:
    explicit IndexAllocator(const std::vector<XfrmPolicy>& installed) {
        for (const auto& p : installed) used_.insert(p.index);
    }
    std::uint32_t take(std::uint32_t preferred, XfrmDir dir) {
        const bool usable = is_xfrm_index_ours(preferred) && (preferred & 7) == static_cast<std::uint32_t>(dir);
        if (usable && used_.insert(preferred).second) return preferred;
        for (std::uint32_t serial = 1; serial < xfrm_index_serials; ++serial)
            if (used_.insert(xfrm_index(serial, dir)).second) return xfrm_index(serial, dir);
        return 0;  // 2^21 winipsec policies in use: the kernel picks, the policy will not look ours
    }

private:
    std::set<std::uint32_t> used_;
};

// Sends all `requests` in chunks of XfrmSocket::max_requests_per_send (one
// sendmsg() each instead of one round trip per policy), refusals or not;
// one result per request, in order.
std::expected<std::vector<std::expected<void, Error>>, Error> send_all(XfrmSocket& socket,
                                                                       const std::vector<XfrmRequest>& requests) {
    std::vector<std::expected<void, Error>> results;
    for (std::size_t at = 0; at < requests.size(); at += XfrmSocket::max_requests_per_send) {
        const std::size_t n = std::min(XfrmSocket::max_requests_per_send, requests.size() - at);
        auto chunk = socket.send(std::span(requests).subspan(at, n));
        if (!chunk) return std::unexpected(chunk.error());
        for (auto& r : *chunk) results.push_back(std::move(r));
    }
    return results;
}

// Undoes `done` in reverse order; returns what could not be undone.
std::vector<std::string> roll_back(XfrmSocket& socket, const std::vector<Step>& done) {
    std::vector<XfrmRequest> undo;
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
        switch (it->change) {
            case XfrmChange::Add: undo.push_back({XfrmChange::Remove, &it->policy}); break;
            // The kernel keeps the index on update; a removed policy comes
            // back with its old index, which is free again.
            case XfrmChange::Update: undo.push_back({XfrmChange::Update, &*it->previous}); break;
            case XfrmChange::Remove: undo.push_back({XfrmChange::Add, &it->policy}); break;
        }
    }
    std::vector<std::string> failures;
    auto results = send_all(socket, undo);
    if (!results) return {results.error().message};
    for (const auto& r : *results)
        if (!r) failures.push_back(r.error().message);
    return failures;
}

// Runs one phase of the apply. Every step the kernel carried out goes to
// `done` (within a chunk also the ones after a refusal: the kernel goes on
// with the rest of a send); the first refusal is returned, and no chunk is
// sent after the one that held it. `number` counts changes across phases
// for XfrmApplyOptions::fail_at_change, whose step is not sent but answered
// as refused, as if by the kernel.
std::expected<void, Error> run_phase(XfrmSocket& socket, const std::vector<Step>& steps, std::size_t& number,
                                     const XfrmApplyOptions& options, std::vector<Step>& done) {
    for (std::size_t at = 0; at < steps.size(); at += XfrmSocket::max_requests_per_send) {
        const std::size_t n = std::min(XfrmSocket::max_requests_per_send, steps.size() - at);
        std::vector<XfrmRequest> requests;
        std::optional<std::size_t> injected;  // index in this chunk
        for (std::size_t i = 0; i < n; ++i) {
            if (options.fail_at_change && *options.fail_at_change == number + i)
                injected = i;
            else
                requests.push_back({steps[at + i].change, &steps[at + i].policy});
        }
        auto results = socket.send(requests);
        if (!results)
            return std::unexpected(Error::system(fmt::format("{}; whether the last {} change(s) were made is unknown",
                                                             results.error().message, requests.size())));
        std::optional<Error> refusal;
        auto result = results->begin();
        for (std::size_t i = 0; i < n; ++i) {
            const Step& step = steps[at + i];
            if (injected && *injected == i) {
                if (!refusal)
                    refusal = Error::system("injected failure (XfrmApplyOptions::fail_at_change) at " +
                                            describe(step.policy));
                continue;
            }
            if (*result)
                done.push_back(step);
            else if (!refusal)
                refusal = result->error();
            ++result;
        }
        number += n;
        if (refusal) return std::unexpected(*refusal);
    }
    return {};
}

Error rolled_back(const std::string& what, XfrmSocket& socket, const std::vector<Step>& done) {
    if (done.empty()) return Error::system(what + "; nothing had been changed");
    const auto failures = roll_back(socket, done);
    if (failures.empty())
        return Error::system(fmt::format("{}; the {} change(s) already made were undone", what, done.size()));
    std::string text = fmt::format("{}; undoing the {} change(s) already made failed too:", what, done.size());
    for (const auto& f : failures) text += "\n  " + f;
    return Error::system(text);
}

// The read-back: every desired policy is installed, ours, with its content.
std::optional<std::string> verify(const std::vector<XfrmPolicy>& installed, const std::vector<XfrmPolicy>& wanted) {
    std::map<XfrmIdentity, const XfrmPolicy*> by_identity;
    for (const auto& p : installed)
        if (!p.foreign_keys) by_identity[p.identity()] = &p;
    for (const auto& w : wanted) {
        const auto it = by_identity.find(w.identity());
        if (it == by_identity.end()) return "missing after apply: " + describe(w);
        if (!it->second->ours() || !it->second->same_content(w))
            return fmt::format("read back differs (index {:#x}, priority {}): {}", it->second->index,
                               it->second->priority, describe(w));
    }
    return std::nullopt;
}

}  // namespace

std::expected<XfrmApplyResult, Error> apply_xfrm_policies(const std::vector<XfrmPolicy>& desired,
                                                          const XfrmApplyOptions& options) {
    auto socket = XfrmSocket::open();
    if (!socket) return std::unexpected(socket.error());
    auto installed = socket->dump();
    if (!installed) return std::unexpected(installed.error());

    std::map<XfrmIdentity, const XfrmPolicy*> owned, foreign;
    for (const auto& p : *installed) {
        if (p.foreign_keys) continue;  // marked/if_id/ctx policies never share an identity with ours
        (p.ours() ? owned : foreign)[p.identity()] = &p;
    }

    XfrmApplyResult result;
    IndexAllocator indexes(*installed);
    std::vector<Step> adds, updates, removals;
    std::vector<XfrmPolicy> wanted;  // what the read-back must find
    std::set<XfrmIdentity> desired_identities;
    for (XfrmPolicy p : desired) {
        p.selector = p.selector.canonical();
        if (!is_xfrm_priority_ours(p.priority))
            return std::unexpected(
                Error::input(fmt::format("XFRM priority {} is outside winipsec's band {}..{}: {}", p.priority,
                                         xfrm_priority_first, xfrm_priority_last, describe(p))));
        if (!desired_identities.insert(p.identity()).second)
            return std::unexpected(Error::input("two desired XFRM policies share one identity: " + describe(p)));
        if (foreign.contains(p.identity())) {
            result.conflicts.push_back(
                fmt::format("{} is held by a policy winipsec did not install; left as it is", describe(p)));
            continue;
        }
        if (const auto it = owned.find(p.identity()); it != owned.end()) {
            p.index = it->second->index;  // UPDPOLICY keeps it anyway
            if (it->second->same_content(p)) {
                ++result.unchanged;
            } else {
                updates.push_back({XfrmChange::Update, p, *it->second});
            }
        } else {
            p.index = indexes.take(p.index, p.dir);
            adds.push_back({XfrmChange::Add, p, std::nullopt});
        }
        wanted.push_back(std::move(p));
    }
    for (const auto& [identity, p] : owned)
        if (!desired_identities.contains(identity)) removals.push_back({XfrmChange::Remove, *p, std::nullopt});

    // Make before break: new policies first (a narrower block/bypass is in
    // place before the wider policy it refines changes), then updates, then
    // the removal of what is no longer wanted.
    std::vector<Step> done;
    std::size_t number = 0;
    for (const auto* steps : {&adds, &updates, &removals})
        if (auto ran = run_phase(*socket, *steps, number, options, done); !ran)
            return std::unexpected(rolled_back(ran.error().message, *socket, done));

    auto after = socket->dump();
    if (!after) return std::unexpected(rolled_back("read-back dump failed: " + after.error().message, *socket, done));
    if (auto mismatch = verify(*after, wanted)) return std::unexpected(rolled_back(*mismatch, *socket, done));

    result.added = adds.size();
    result.updated = updates.size();
    result.removed = removals.size();
    return result;
}

std::expected<void, Error> remove_xfrm_policies() {
    auto socket = XfrmSocket::open();
    if (!socket) return std::unexpected(socket.error());
    auto installed = socket->dump();
    if (!installed) return std::unexpected(installed.error());
    // Best effort across all owned policies: one that cannot be deleted does
    // not keep the others installed. The first error is returned.
    std::vector<XfrmRequest> removals;
    for (const auto& p : *installed)
        if (p.ours()) removals.push_back({XfrmChange::Remove, &p});
    auto results = send_all(*socket, removals);
    if (!results) return std::unexpected(results.error());
    std::optional<Error> first_error;
    for (const auto& r : *results)
        if (!r && !first_error) first_error = r.error();
    if (first_error) return std::unexpected(*first_error);
    return {};
}

}  // namespace winipsec::kernel
