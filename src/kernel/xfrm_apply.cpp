#include "kernel/xfrm_apply.hpp"

#include <cerrno>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kernel/xfrm_netlink.hpp"

namespace winipsec::kernel {
namespace {

enum class Change { Add, Update, Remove };

struct Step {
    Change change;
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

std::expected<void, Error> run(XfrmSocket& socket, const Step& step) {
    switch (step.change) {
        case Change::Add: return socket.add(step.policy);
        case Change::Update: return socket.update(step.policy);
        case Change::Remove: return socket.remove(step.policy);
    }
    return {};
}

// Undoes `done` in reverse order; returns what could not be undone.
std::vector<std::string> roll_back(XfrmSocket& socket, const std::vector<Step>& done) {
    std::vector<std::string> failures;
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
        std::expected<void, Error> undone;
        switch (it->change) {
            case Change::Add: undone = socket.remove(it->policy); break;
            case Change::Update: undone = socket.update(*it->previous); break;  // the kernel keeps the index
            case Change::Remove: undone = socket.add(it->policy); break;        // with its old index, now free
        }
        if (!undone) failures.push_back(undone.error().message);
    }
    return failures;
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
                updates.push_back({Change::Update, p, *it->second});
            }
        } else {
            p.index = indexes.take(p.index, p.dir);
            adds.push_back({Change::Add, p, std::nullopt});
        }
        wanted.push_back(std::move(p));
    }
    for (const auto& [identity, p] : owned)
        if (!desired_identities.contains(identity)) removals.push_back({Change::Remove, *p, std::nullopt});

    // Make before break: new policies first (a narrower block/bypass is in
    // place before the wider policy it refines changes), then updates, then
    // the removal of what is no longer wanted.
    std::vector<Step> done;
    std::size_t number = 0;
    for (const auto* steps : {&adds, &updates, &removals}) {
        for (const auto& step : *steps) {
            std::expected<void, Error> ran;
            if (options.fail_at_change && *options.fail_at_change == number)
                ran = std::unexpected(
                    Error::system("injected failure (XfrmApplyOptions::fail_at_change) at " + describe(step.policy)));
            else
                ran = run(*socket, step);
            ++number;
            if (!ran) return std::unexpected(rolled_back(ran.error().message, *socket, done));
            done.push_back(step);
        }
    }

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
    std::optional<Error> first_error;
    for (const auto& p : *installed) {
        if (!p.ours()) continue;
        if (auto r = socket->remove(p); !r && !first_error) first_error = r.error();
    }
    if (first_error) return std::unexpected(*first_error);
    return {};
}

}  // namespace winipsec::kernel
