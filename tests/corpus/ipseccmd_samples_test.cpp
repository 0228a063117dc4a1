#include <doctest/doctest.h>

#include "corpus_sample.hpp"

// Pinned outcomes of the ipseccmd samples: filled in with the importer.
TEST_CASE("ipseccmd corpus placeholder") { CHECK(true); }
