// Plan -> charon connections (spec windows-ipsec.md §9.4-9.6): what a
// Windows negotiate rule must become so that a Windows peer's IKEv1 main
// mode and quick mode find a match.
#include <doctest/doctest.h>

#include "ike/ike_config_build.hpp"
#include "ike/swanctl_conf.hpp"
#include "plan_fixture.hpp"

namespace winipsec {
namespace {

using test::StoreBuilder;

void add_psk(StoreBuilder& b, const std::string& key) {
    AuthMethod m;
    m.kind = AuthKind::PresharedKey;
    m.preshared_key = Secret(key);
    b.store.policies.front().rules.back().authentication.push_back(m);
}

struct Built {
    plan::Plan plan;
    ike::IkeConfig config;
    Diagnostics diagnostics;
};

Built build(StoreBuilder& b, std::initializer_list<const char*> me, const ike::IkeBuildOptions& options = {}) {
    Built out;
    b.store.policies.front().main_mode.offers = default_main_mode_offers();
    out.plan = plan::build_plan(b.store, test::options_with_me(me), out.diagnostics);
    out.config = ike::build_ike_config(out.plan, options, out.diagnostics);
    return out;
}

bool has_code(const Diagnostics& d, const std::string& code) {
    for (const auto& x : d.all())
        if (x.code == code) return true;
    return false;
}

TEST_CASE("a mirrored host-to-host negotiate filter is one IKEv1 transport child with Windows' default offers") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "192.0.2.20"})
        .rule("R", "L", "Require");
    add_psk(b, "s3cret");
    ike::IkeBuildOptions o;
    o.reqid_of = [](const Rule*) { return 0x01000042u; };
    auto r = build(b, {"192.0.2.10"}, o);
    REQUIRE(r.config.connections.size() == 1);
    const auto& c = r.config.connections[0];
    CHECK(c.name == "winipsec-P-R");
    CHECK(c.local_addrs == std::vector<std::string>{"192.0.2.10"});
    CHECK(c.remote_addrs == std::vector<std::string>{"192.0.2.20"});
    // One algorithm per kind per proposal, Windows' order (spec §8.9).
    CHECK(c.proposals ==
          std::vector<std::string>{"3des-sha1-modp1024", "3des-md5-modp1024", "des-sha1-modp768", "des-md5-modp768"});
    CHECK(c.local.method == "psk");
    CHECK(c.local.id == "192.0.2.10");
    CHECK(c.remote.id == "192.0.2.20");
    REQUIRE(c.children.size() == 1);  // both directions of the mirrored filter: one SA pair
    const auto& ch = c.children[0];
    CHECK(ch.mode == "transport");
    CHECK(ch.local_ts == std::vector<std::string>{"dynamic"});
    CHECK(ch.remote_ts == std::vector<std::string>{"dynamic"});
    CHECK(ch.esp_proposals == std::vector<std::string>{"3des-sha1", "3des-md5", "des-sha1", "des-md5"});
    CHECK(ch.ah_proposals == std::vector<std::string>{"sha1", "md5"});
    CHECK(ch.reqid == 0x01000042u);
    CHECK_FALSE(ch.policies);  // winipsec owns the XFRM policies
    REQUIRE(r.config.shared_keys.size() == 1);
    CHECK(r.config.shared_keys[0].owners == std::vector<std::string>{"192.0.2.10", "192.0.2.20"});
}

TEST_CASE("protocol and port go into the traffic selectors; a subnet peer is a CIDR remote") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "198.51.100.0/24", .protocol = 6, .dport = 80})
        .rule("R", "L", "Require");
    add_psk(b, "k");
    auto r = build(b, {"192.0.2.10"});
    REQUIRE(r.config.connections.size() == 1);
    const auto& c = r.config.connections[0];
    CHECK(c.remote_addrs == std::vector<std::string>{"198.51.100.0/24"});
    CHECK(c.remote.id == "%any");
    REQUIRE(c.children.size() == 1);
    CHECK(c.children[0].local_ts == std::vector<std::string>{"dynamic[tcp]"});
    CHECK(c.children[0].remote_ts == std::vector<std::string>{"198.51.100.0/24[tcp/80]"});
}

TEST_CASE("Kerberos-only rules are refused unless a fallback key is given") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "192.0.2.20"})
        .rule("R", "L", "Require");
    auto refused = build(b, {"192.0.2.10"});
    CHECK(refused.config.connections.empty());
    CHECK(has_code(refused.diagnostics, "E-IKE-KERBEROS-ONLY"));

    ike::IkeBuildOptions o;
    o.kerberos_fallback = Secret("fallback");
    auto fallback = build(b, {"192.0.2.10"}, o);
    REQUIRE(fallback.config.connections.size() == 1);
    CHECK(has_code(fallback.diagnostics, "W-IKE-KERBEROS-FALLBACK"));
    CHECK(fallback.config.shared_keys.at(0).secret.reveal() == "fallback");
}

TEST_CASE("a site-to-site tunnel rule pair becomes one tunnel connection (E12)") {
    // Gateway 192.0.2.1 protects 10.1.0.0/16... here 198.51.100.0/24; the
    // peer gateway 203.0.113.1 protects 203.0.113.128/25.
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("Out", {.src = "198.51.100.0/24", .dst = "203.0.113.128/25", .mirrored = false})
        .filter("In", {.src = "203.0.113.128/25", .dst = "198.51.100.0/24", .mirrored = false})
        .rule("ToPeer", "Out", "Require", "203.0.113.1");
    add_psk(b, "k");
    b.rule("FromPeer", "In", "Require", "192.0.2.1");
    add_psk(b, "k");
    auto r = build(b, {"192.0.2.1"});
    REQUIRE(r.config.connections.size() == 1);
    const auto& c = r.config.connections[0];
    CHECK(c.name == "winipsec-P-ToPeer");
    CHECK(c.local_addrs == std::vector<std::string>{"192.0.2.1"});
    CHECK(c.remote_addrs == std::vector<std::string>{"203.0.113.1"});
    REQUIRE(c.children.size() == 1);
    CHECK(c.children[0].mode == "tunnel");
    CHECK(c.children[0].local_ts == std::vector<std::string>{"198.51.100.0/24"});
    CHECK(c.children[0].remote_ts == std::vector<std::string>{"203.0.113.128/25"});
}

TEST_CASE("qmpfs appends the main mode group; AH+ESP bundles are left out with a warning") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "192.0.2.20"})
        .rule("R", "L", "Require");
    add_psk(b, "k");
    auto& a = b.store.filter_actions.back();
    a.quick_mode_pfs = true;
    QuickModeOffer bundle;
    bundle.ah = Integrity::Sha1;
    bundle.esp = EspTransform{Cipher::TripleDes, Integrity::Sha1};
    QuickModeOffer aes;
    aes.esp = EspTransform{Cipher::Aes128, Integrity::Sha1};
    aes.lifetime_seconds = 900;
    aes.lifetime_kbytes = 50000;
    a.offers = {aes, bundle};
    auto r = build(b, {"192.0.2.10"});
    REQUIRE(r.config.connections.size() == 1);
    const auto& ch = r.config.connections[0].children.at(0);
    CHECK(ch.esp_proposals == std::vector<std::string>{"aes128-sha1-modp1024"});
    CHECK(ch.ah_proposals.empty());
    CHECK(ch.life_time == 900);
    CHECK(ch.life_bytes == 50000ull * 1024);
    CHECK(has_code(r.diagnostics, "W-IKE-QM-OFFER"));
}

TEST_CASE("swanctl.conf never shows the key unless asked; 0x-looking keys are written in hex") {
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("L", {.src = "me", .dst = "192.0.2.20"})
        .rule("R", "L", "Require");
    add_psk(b, "0xnot-hex");
    auto r = build(b, {"192.0.2.10"});
    const std::string hidden = ike::render_swanctl_conf(r.config, false);
    CHECK(hidden.find("0xnot-hex") == std::string::npos);
    CHECK(hidden.find("secret = ********") != std::string::npos);
    CHECK(hidden.find("version = 1") != std::string::npos);
    CHECK(hidden.find("proposals = 3des-sha1-modp1024, 3des-md5-modp1024") != std::string::npos);
    const std::string shown = ike::render_swanctl_conf(r.config, true);
    CHECK(shown.find("secret = 0x30786e6f742d686578") != std::string::npos);
}

TEST_CASE("counterpart mode: the Windows host's export seen from its peer") {
    // Exported on Windows 192.0.2.10: negotiate me <-> 192.0.2.20 with PSK,
    // plus a permit for ICMP with the peer inside it.
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .action("Permit", ActionKind::Permit)
        .filter("L", {.src = "me", .dst = "192.0.2.20"})
        .filter("ICMP", {.src = "me", .dst = "any", .protocol = 1})
        .filter("Other", {.src = "me", .dst = "203.0.113.5"})
        .rule("R", "L", "Require");
    add_psk(b, "k");
    b.rule("Icmp", "ICMP", "Permit").rule("O", "Other", "Require");
    add_psk(b, "k2");
    b.store.policies.front().main_mode.offers = default_main_mode_offers();
    auto options = test::options_with_me({"192.0.2.20"});
    options.counterpart_of = *IpAddress::parse("192.0.2.10");
    Diagnostics d;
    const auto plan = plan::build_plan(b.store, options, d);
    CHECK(plan.me == std::vector<IpAddress>{*IpAddress::parse("192.0.2.20")});
    // Windows' outbound 192.0.2.10 -> 192.0.2.20 is what we receive.
    bool inbound_negotiate = false, icmp_permit = false, other = false;
    for (const auto& r : plan.rules) {
        if (r.verdict.action == ActionKind::Negotiate && r.direction == plan::Direction::Inbound &&
            r.selector.source.to_string() == "192.0.2.10" && r.selector.destination.to_string() == "192.0.2.20")
            inbound_negotiate = true;
        if (r.verdict.action == ActionKind::Permit && r.selector.protocol == 1) icmp_permit = true;
        if (r.selector.source.to_string() == "203.0.113.5" || r.selector.destination.to_string() == "203.0.113.5")
            other = true;
    }
    CHECK(inbound_negotiate);
    CHECK(icmp_permit);
    CHECK_FALSE(other);  // the Windows host's rule for another peer never reaches us
    const auto config = ike::build_ike_config(plan, {}, d);
    REQUIRE(config.connections.size() == 1);
    CHECK(config.connections[0].local_addrs == std::vector<std::string>{"192.0.2.20"});
    CHECK(config.connections[0].remote_addrs == std::vector<std::string>{"192.0.2.10"});
}

}  // namespace
}  // namespace winipsec

namespace winipsec {
namespace {

TEST_CASE("counterpart mode keeps a tunnel whose subnets hold none of our addresses") {
    // Exported on the Windows branch gateway 192.0.2.20 (203.0.113.0/24 behind
    // it); we are the HQ gateway 192.0.2.10 with 198.51.100.0/24 behind us,
    // and only our outside address is given.
    StoreBuilder b;
    b.action("Require", ActionKind::Negotiate)
        .filter("Out", {.src = "203.0.113.0/24", .dst = "198.51.100.0/24", .mirrored = false})
        .filter("In", {.src = "198.51.100.0/24", .dst = "203.0.113.0/24", .mirrored = false})
        .rule("ToHQ", "Out", "Require", "192.0.2.10");
    add_psk(b, "k");
    b.rule("FromHQ", "In", "Require", "192.0.2.20");
    add_psk(b, "k");
    b.store.policies.front().main_mode.offers = default_main_mode_offers();
    auto options = test::options_with_me({"192.0.2.10"});
    options.counterpart_of = *IpAddress::parse("192.0.2.20");
    Diagnostics d;
    const auto plan = plan::build_plan(b.store, options, d);
    const auto config = ike::build_ike_config(plan, {}, d);
    REQUIRE(config.connections.size() == 1);
    const auto& c = config.connections[0];
    CHECK(c.local_addrs == std::vector<std::string>{"192.0.2.10"});
    CHECK(c.remote_addrs == std::vector<std::string>{"192.0.2.20"});
    REQUIRE(c.children.size() == 1);
    CHECK(c.children[0].mode == "tunnel");
    CHECK(c.children[0].local_ts == std::vector<std::string>{"198.51.100.0/24"});
    CHECK(c.children[0].remote_ts == std::vector<std::string>{"203.0.113.0/24"});
}

}  // namespace
}  // namespace winipsec
