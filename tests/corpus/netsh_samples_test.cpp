#include <doctest/doctest.h>

#include "corpus_sample.hpp"

// Pinned outcomes of the netsh samples: filled in with the importer.
TEST_CASE("netsh corpus placeholder") { CHECK(true); }
