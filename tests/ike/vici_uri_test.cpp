// VICI URIs: only absolute unix:// paths that fit a socket address.
#include <doctest/doctest.h>

#include "ike/vici_uri.hpp"

using namespace winipsec::ike;

TEST_SUITE("vici_uri") {
    TEST_CASE("unix:// URIs give their path") {
        CHECK(*vici_socket_path(default_vici_uri) == "/var/run/charon.vici");
        CHECK(*vici_socket_path("unix:///tmp/lab/gw/charon.vici") == "/tmp/lab/gw/charon.vici");
    }

    TEST_CASE("other URIs are refused with a reason") {
        struct Case {
            const char* uri;
            const char* message;
        };
        const Case cases[] = {
            {"tcp://127.0.0.1:4502", "VICI URI 'tcp://127.0.0.1:4502': only unix:// sockets are supported"},
            {"/var/run/charon.vici", "VICI URI '/var/run/charon.vici': expected unix:///path/to/charon.vici"},
            {"unix://charon.vici", "VICI URI 'unix://charon.vici': the socket path must be absolute (unix:///path)"},
            {"unix://", "VICI URI 'unix://': the socket path must be absolute (unix:///path)"},
        };
        for (const auto& c : cases) {
            auto path = vici_socket_path(c.uri);
            REQUIRE_FALSE(path);
            CHECK(path.error().kind == ViciError::Kind::Connect);
            CHECK(path.error().message == c.message);
        }
        CHECK_FALSE(vici_socket_path("unix:///" + std::string(200, 'x')));
    }
}
