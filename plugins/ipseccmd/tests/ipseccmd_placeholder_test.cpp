#include <doctest/doctest.h>

#include "plugins/ipseccmd/ipseccmd_importer.hpp"

TEST_CASE("ipseccmd importer is registered under its name") {
    CHECK(winipsec::ipseccmd_importer().name() == "ipseccmd");
}
