// The typed commands against a real charon 5.9.8 ("solo"): what a user of
// `winipsec apply --vici` relies on.
#include <doctest/doctest.h>

#include <algorithm>

#include "ike/vici_commands.hpp"
#include "vici_charon_lab.hpp"

using namespace winipsec::ike;
using namespace winipsec::ike::test;

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

const TunnelEnds solo_ends{"192.0.2.10", "192.0.2.20", "198.51.100.0/24", "203.0.113.0/24"};

}  // namespace

TEST_SUITE("ike_charon_commands") {
    TEST_CASE("version and stats describe the running daemon and its plugins") {
        auto session = lab_session("solo");
        auto version = vici_version(session);
        REQUIRE(version);
        CHECK(version->daemon == "charon");
        CHECK_FALSE(version->version.empty());
        MESSAGE("charon ", version->version, " on ", version->sysname, " ", version->release);
        auto stats = vici_stats(session);
        REQUIRE(stats);
        CHECK(contains(stats->plugins, "vici"));
        CHECK(contains(stats->plugins, "kernel-libipsec"));
        CHECK(contains(stats->plugins, "openssl"));
        CHECK(stats->ike_sas_total == 0);
    }

    TEST_CASE("an IKEv1 PSK connection loads, shows in get-conns and list-conns, and unloads") {
        auto session = lab_session("solo");
        REQUIRE(load_conn(session, "win-main-mode", windows_tunnel_connection(solo_ends)));

        auto names = get_conns(session);
        REQUIRE(names);
        CHECK(contains(*names, "win-main-mode"));

        auto listed = list_conns(session, "win-main-mode");
        REQUIRE(listed);
        REQUIRE(listed->size() == 1);
        const ViciSection& conn = (*listed)[0].details;
        CHECK((*listed)[0].name == "win-main-mode");
        CHECK(*conn.value("version") == "IKEv1");
        CHECK(*conn.list("local_addrs") == std::vector<std::string>{"192.0.2.10"});
        CHECK(*conn.list("remote_addrs") == std::vector<std::string>{"192.0.2.20"});
        // charon names the auth rounds local-1/remote-1 in its listing.
        REQUIRE(conn.section("local-1"));
        CHECK(*conn.section("local-1")->value("class") == "pre-shared key");
        CHECK(*conn.section("local-1")->value("id") == "192.0.2.10");
        const ViciSection* child = conn.section("children") ? conn.section("children")->section("net") : nullptr;
        REQUIRE(child);
        CHECK(*child->value("mode") == "TUNNEL");
        CHECK(*child->list("local-ts") == std::vector<std::string>{"198.51.100.0/24"});
        CHECK(*child->list("remote-ts") == std::vector<std::string>{"203.0.113.0/24"});

        // Loading the same connection again is accepted (an update in place).
        REQUIRE(load_conn(session, "win-main-mode", windows_tunnel_connection(solo_ends)));
        REQUIRE(unload_conn(session, "win-main-mode"));
        names = get_conns(session);
        REQUIRE(names);
        CHECK_FALSE(contains(*names, "win-main-mode"));
    }

    TEST_CASE("list-conns streams one event per connection") {
        auto session = lab_session("solo");
        REQUIRE(load_conn(session, "stream-1", windows_tunnel_connection(solo_ends)));
        REQUIRE(load_conn(session, "stream-2", windows_tunnel_connection(solo_ends)));
        auto listed = list_conns(session);
        REQUIRE(listed);
        std::vector<std::string> names;
        for (const auto& conn : *listed) names.push_back(conn.name);
        CHECK(contains(names, "stream-1"));
        CHECK(contains(names, "stream-2"));
        REQUIRE(unload_conn(session, "stream-1"));
        REQUIRE(unload_conn(session, "stream-2"));
    }

    TEST_CASE("a PSK loads with an id, is listed by get-shared, and unloads") {
        auto session = lab_session("solo");
        REQUIRE(load_shared(session, {"win-psk", "IKE", winipsec::Secret("lab-psk-not-secret"), {"192.0.2.10"}}));
        auto ids = get_shared(session);
        REQUIRE(ids);
        CHECK(contains(*ids, "win-psk"));
        REQUIRE(unload_shared(session, "win-psk"));
        ids = get_shared(session);
        REQUIRE(ids);
        CHECK_FALSE(contains(*ids, "win-psk"));
    }

    TEST_CASE("charon's refusals come back with its errmsg") {
        auto session = lab_session("solo");
        ViciSection bogus = windows_tunnel_connection(solo_ends);
        bogus.add("bogus_option", "1");
        auto refused = load_conn(session, "refused", bogus);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ViciError::Kind::Failed);
        CHECK(refused.error().daemon_message == "unknown option: bogus_option, config discarded");

        // A list key sent as a key/value lands in the wrong rule table.
        ViciSection list_as_value;
        list_as_value.add("version", "1").add("proposals", "3des-sha1-modp1024");
        refused = load_conn(session, "refused", list_as_value);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().daemon_message == "unknown option: proposals, config discarded");

        auto missing = unload_conn(session, "never-loaded");
        REQUIRE_FALSE(missing);
        CHECK(missing.error().daemon_message == "unload: connection 'never-loaded' not found");

        auto no_child = initiate(session, {"no-such-child", "", std::chrono::seconds(2), 1});
        REQUIRE(no_child);
        CHECK_FALSE(no_child->success);
        CHECK(no_child->errmsg == "CHILD_SA config 'no-such-child' not found");

        auto nothing = terminate(session, {.ike = "no-such-ike"});
        REQUIRE(nothing);
        CHECK_FALSE(nothing->success);
        CHECK(nothing->errmsg == "no matching SAs to terminate found");
        CHECK(session.usable());
    }
}
