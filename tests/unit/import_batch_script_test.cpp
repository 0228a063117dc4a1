#include <doctest/doctest.h>

#include "import/batch_script.hpp"

TEST_CASE("placeholder") { CHECK(true); }
