// Events against a real charon: log subscription and unsubscription, and a
// streamed listing with nothing to list.
#include <doctest/doctest.h>

#include "ike/vici_commands.hpp"
#include "ike/vici_events.hpp"
#include "vici_charon_lab.hpp"

using namespace winipsec::ike;
using namespace winipsec::ike::test;
using namespace std::chrono_literals;

TEST_SUITE("ike_charon_events") {
    TEST_CASE("a log subscription delivers charon's log lines about our own request") {
        auto session = lab_session("solo");
        std::vector<ViciLogLine> lines;
        auto seen_added = [&] {
            for (const auto& line : lines)
                if (line.group == "CFG" && line.message == "added vici connection: logged-conn") return true;
            return false;
        };
        REQUIRE(subscribe_log(session, [&](const ViciLogLine& line) { lines.push_back(line); }));
        REQUIRE(
            load_conn(session, "logged-conn",
                      windows_tunnel_connection({"192.0.2.10", "192.0.2.30", "198.51.100.0/24", "203.0.113.0/24"})));
        std::size_t during = lines.size();
        // charon 5.9.8 raises log events from a queued job (vici_logger.c),
        // so they may come before or after the response: keep dispatching.
        for (int i = 0; i < 30 && !seen_added(); ++i) REQUIRE(session.dispatch_events(100ms));
        CHECK(seen_added());
        MESSAGE(during, " log events arrived while load-conn was in flight, ", lines.size() - during, " after");

        REQUIRE(session.unsubscribe("log"));
        REQUIRE(unload_conn(session, "logged-conn"));
        std::size_t before = lines.size();
        REQUIRE(session.dispatch_events(300ms));
        CHECK(lines.size() == before);  // none after unsubscribing
    }

    TEST_CASE("list-sas streams nothing and completes when there is no SA") {
        auto session = lab_session("solo");
        auto sas = list_sas(session);
        REQUIRE(sas);
        CHECK(sas->empty());
        CHECK(session.usable());
    }
}
