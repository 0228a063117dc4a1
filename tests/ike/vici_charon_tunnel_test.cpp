// Two charons ("a" and "b", one namespace each, joined by a veth) configured
// only over VICI negotiate IKEv1 main mode with a PSK and a tunnel-mode
// CHILD_SA, carried by kernel-libipsec (this kernel has no ESP; libipsec in
// 5.9.8 is tunnel-only, UDP-encapsulated and never triggers on traffic, so
// the test initiates explicitly). What a user would check: the SAs are up on
// both ends, traffic flows through them, the events said so, and terminate
// takes them down.
#include <doctest/doctest.h>

#include "ike/vici_commands.hpp"
#include "ike/vici_events.hpp"
#include "vici_charon_lab.hpp"

using namespace winipsec::ike;
using namespace winipsec::ike::test;
using namespace std::chrono_literals;

namespace {

const TunnelEnds a_ends{"192.0.2.1", "192.0.2.2", "198.51.100.0/24", "203.0.113.0/24"};
const TunnelEnds b_ends{"192.0.2.2", "192.0.2.1", "203.0.113.0/24", "198.51.100.0/24"};

void configure(ViciSession& session, const TunnelEnds& ends) {
    REQUIRE(load_conn(session, "lab-tunnel", windows_tunnel_connection(ends)));
    REQUIRE(load_shared(session,
                        {"lab-tunnel-psk", "IKE", winipsec::Secret("lab-psk-not-secret"), {"192.0.2.1", "192.0.2.2"}}));
}

void check_established(const std::vector<ViciIkeSa>& sas, bool initiator, const TunnelEnds& ends) {
    REQUIRE(sas.size() == 1);
    const ViciIkeSa& sa = sas[0];
    CHECK(sa.name == "lab-tunnel");
    CHECK(sa.version == 1);
    CHECK(sa.state == "ESTABLISHED");
    CHECK(sa.initiator == initiator);
    CHECK(sa.local_host == ends.me);
    CHECK(sa.remote_host == ends.peer);
    CHECK(sa.local_id == ends.me);
    CHECK(sa.encr_alg == "3DES_CBC");
    CHECK(sa.integ_alg == "HMAC_SHA1_96");
    CHECK(sa.dh_group == "MODP_1024");
    CHECK(sa.nat_any);  // libipsec forces UDP encapsulation by faking NAT
    CHECK(sa.remote_port == 4500);
    REQUIRE(sa.children.size() == 1);
    const ViciChildSa& child = sa.children[0];
    CHECK(child.name == "net");
    CHECK(child.state == "INSTALLED");
    CHECK(child.mode == "TUNNEL");
    CHECK(child.protocol == "ESP");
    CHECK(child.encap);
    CHECK(child.encr_alg == "3DES_CBC");
    CHECK(child.reqid > 0);
    CHECK(child.local_ts == std::vector<std::string>{ends.local_ts});
    CHECK(child.remote_ts == std::vector<std::string>{ends.remote_ts});
}

}  // namespace

TEST_SUITE("ike_charon_tunnel") {
    TEST_CASE("IKEv1 main mode + tunnel CHILD_SA between two charons configured over VICI") {
        auto a = lab_session("a");
        auto b = lab_session("b");
        configure(a, a_ends);
        configure(b, b_ends);

        std::vector<ViciSaUpdown> ike_events, child_events;
        REQUIRE(subscribe_ike_updown(a, [&](const ViciSaUpdown& e) { ike_events.push_back(e); }));
        REQUIRE(subscribe_child_updown(a, [&](const ViciSaUpdown& e) { child_events.push_back(e); }));

        auto started = std::chrono::steady_clock::now();
        auto result = initiate(a, {"net", "lab-tunnel", 20s, 1});
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        REQUIRE(result);
        if (!result->success)
            for (const auto& line : result->log) MESSAGE("[", line.group, "] ", line.message);
        REQUIRE(result->success);
        MESSAGE("initiate (main mode + quick mode) took ", took.count(), " ms, ", result->log.size(),
                " control-log lines");
        bool established_logged = false;
        for (const auto& line : result->log)
            if (line.message.find("CHILD_SA net{") != std::string::npos &&
                line.message.find("established") != std::string::npos)
                established_logged = true;
        CHECK(established_logged);

        // The up events are raised while initiate is in flight and reach the
        // handlers during its wait; wait a little in case one is still on its
        // way.
        MESSAGE(ike_events.size(), " ike-updown and ", child_events.size(),
                " child-updown events arrived while initiate was in flight");
        for (int i = 0; i < 20 && (ike_events.empty() || child_events.empty()); ++i) (void)a.dispatch_events(100ms);
        REQUIRE(ike_events.size() >= 1);
        CHECK(ike_events[0].up);
        REQUIRE(ike_events[0].sas.size() == 1);
        CHECK(ike_events[0].sas[0].name == "lab-tunnel");
        CHECK(ike_events[0].sas[0].children.empty());
        REQUIRE(child_events.size() >= 1);
        CHECK(child_events[0].up);
        REQUIRE(child_events[0].sas.size() == 1);
        REQUIRE(child_events[0].sas[0].children.size() == 1);
        CHECK(child_events[0].sas[0].children[0].state == "INSTALLED");

        auto sas_a = list_sas(a);
        REQUIRE(sas_a);
        check_established(*sas_a, true, a_ends);
        auto sas_b = list_sas(b);
        REQUIRE(sas_b);
        check_established(*sas_b, false, b_ends);

        // Traffic between the protected subnets goes through the tunnel.
        CHECK(run_command("ip netns exec " + lab_netns("a") + " ping -c 2 -i 0.2 -W 2 -I 198.51.100.1 203.0.113.1") ==
              0);
        sas_a = list_sas(a, {.ike = "lab-tunnel"});
        REQUIRE(sas_a);
        REQUIRE(sas_a->size() == 1);
        REQUIRE((*sas_a)[0].children.size() == 1);
        CHECK((*sas_a)[0].children[0].packets_out >= 2);
        CHECK((*sas_a)[0].children[0].packets_in >= 2);

        ike_events.clear();
        auto down = terminate(a, {.ike = "lab-tunnel", .timeout = 10s});
        REQUIRE(down);
        CHECK(down->success);
        CHECK(down->matches == 1);
        for (int i = 0; i < 20 && ike_events.empty(); ++i) (void)a.dispatch_events(100ms);
        REQUIRE_FALSE(ike_events.empty());
        CHECK_FALSE(ike_events[0].up);
        auto after = list_sas(a);
        REQUIRE(after);
        CHECK(after->empty());

        REQUIRE(unload_conn(a, "lab-tunnel"));
        REQUIRE(unload_conn(b, "lab-tunnel"));
        REQUIRE(unload_shared(a, "lab-tunnel-psk"));
        REQUIRE(unload_shared(b, "lab-tunnel-psk"));
    }
}
