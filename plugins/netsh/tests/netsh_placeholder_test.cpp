#include <doctest/doctest.h>

#include "plugins/netsh/netsh_importer.hpp"

TEST_CASE("netsh importer is registered under its name") {
    CHECK(winipsec::netsh_importer().name() == "netsh");
}
