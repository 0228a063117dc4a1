#pragma once
// Throw-away network namespaces for tests against the real kernel. Every
// namespace is deleted by its guard; tests skip (with a MESSAGE) when not
// root or when namespaces cannot be made (containers without CAP_SYS_ADMIN).
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "import/error.hpp"
#include "kernel/nft_readback.hpp"
#include "kernel/nft_ruleset.hpp"
#include "plan/plan.hpp"
#include "plan_fixture.hpp"

namespace winipsec::test::netns {

// An `ip netns` namespace, deleted on destruction.
class Namespace {
public:
    // nullopt (and a reason in `why`) when namespaces are unavailable.
    static std::optional<Namespace> create(std::string* why = nullptr);
    Namespace(Namespace&& other) noexcept;
    Namespace& operator=(Namespace&&) = delete;
    Namespace(const Namespace&) = delete;
    ~Namespace();

    const std::string& name() const { return name_; }
    // `command` run by sh inside the namespace; its exit status.
    int run(const std::string& command) const;
    // Its standard output (stderr goes to the test log).
    std::string output(const std::string& command) const;

private:
    explicit Namespace(std::string name) : name_(std::move(name)) {}
    std::string name_;
};

// Moves the calling thread into a namespace until destruction. Sockets
// opened meanwhile stay in that namespace afterwards.
class Inside {
public:
    explicit Inside(const Namespace& ns);
    Inside(const Inside&) = delete;
    Inside& operator=(const Inside&) = delete;
    ~Inside();

private:
    int original_ = -1;
};

// Two namespaces joined by a veth pair: a = 192.0.2.1, b = 192.0.2.2 (and
// 2001:db8::1 / 2001:db8::2 without DAD), links up, static neighbours so
// the first packet is never held by ARP/ND.
struct LinkedPair {
    Namespace a;
    Namespace b;
    static std::optional<LinkedPair> create(std::string* why = nullptr);
};

// A UDP socket bound in the namespace it was created in.
class UdpReceiver {
public:
    UdpReceiver(const Namespace& ns, std::uint16_t port, bool ipv6 = false);
    UdpReceiver(const UdpReceiver&) = delete;
    UdpReceiver& operator=(const UdpReceiver&) = delete;
    ~UdpReceiver();
    // Datagrams received within `timeout_ms` after the last one (their sizes).
    std::vector<std::size_t> receive_all(int timeout_ms = 300);

private:
    int fd_ = -1;
};

// Sends `count` datagrams of `size` bytes from inside `ns`.
void send_udp(const Namespace& ns, const std::string& destination, std::uint16_t port, int count = 1,
              std::size_t size = 32, std::uint16_t source_port = 0);

// Sends `count` datagrams of 32 bytes from `source` (an address of `ns`)
// to `destination`:`port`.
void send_udp_from(const Namespace& ns, const std::string& source, const std::string& destination, std::uint16_t port,
                   int count = 1);

// Skips the test case (a doctest MESSAGE saying why) when namespaces are
// unavailable; otherwise declares `var` as the created value.
#define NFT_NETNS_OR_SKIP(var, expression)                               \
    std::string var##_why;                                               \
    auto var##_made = (expression)(&var##_why);                          \
    if (!var##_made) {                                                   \
        MESSAGE("skipped: kernel namespace test (" << var##_why << ")"); \
        return;                                                          \
    }                                                                    \
    auto& var = *var##_made

// A plan and the store it points into.
struct OwnedPlan {
    std::unique_ptr<PolicyStore> store;
    plan::Plan plan;
};
OwnedPlan make_plan(const StoreBuilder& builder, plan::PlanOptions options);

// The kernel entry points, called from inside `ns`.
std::expected<void, Error> apply_in(const Namespace& ns, const kernel::NftRuleset& ruleset);
std::expected<void, Error> remove_in(const Namespace& ns);
kernel::NftLiveState state_in(const Namespace& ns);  // fails the test on error
std::string list_table(const Namespace& ns);         // `nft list table inet winipsec`

// `nft list table inet winipsec` normalised for comparison: whitespace
// trimmed, counters zeroed, set elements sorted (hash sets list in bucket
// order, which differs between two loads of the same elements).
std::string normalised_listing(const std::string& listing);

}  // namespace winipsec::test::netns
