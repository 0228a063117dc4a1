#include "daemon/fail_closed.hpp"

namespace winipsec::daemon {

using namespace winipsec::kernel;

namespace {

NftChain drop_all_but_loopback(std::string name, NftHook hook) {
    NftChain chain;
    chain.name = std::move(name);
    chain.hook = hook;
    // Loopback traffic is addressed to 127.0.0.0/8 or ::1; at boot no other
    // address exists yet, so the destination is enough (an interface match
    // would need a match type the ruleset model does not have).
    const auto loopback = [](IpFamily family, const char* text, int length) {
        NftRule r;
        r.matches = {NftMatchFamily{family}, NftMatchDestination{plan::Prefix::of(*IpAddress::parse(text), length)}};
        r.verdict = NftVerdict::Accept;
        r.comment = "winipsecd fail-closed: loopback";
        return r;
    };
    chain.rules.push_back(loopback(IpFamily::V4, "127.0.0.0", 8));
    chain.rules.push_back(loopback(IpFamily::V6, "::1", 128));
    NftRule drop;
    drop.verdict = NftVerdict::Drop;
    drop.comment = "winipsecd fail-closed: no policy applied yet";
    chain.rules.push_back(drop);
    return chain;
}

}  // namespace

KernelState fail_closed_state() {
    KernelState state;
    state.nft.chains.push_back(drop_all_but_loopback("input", NftHook::Input));
    state.nft.chains.push_back(drop_all_but_loopback("output", NftHook::Output));
    return state;
}

}  // namespace winipsec::daemon
