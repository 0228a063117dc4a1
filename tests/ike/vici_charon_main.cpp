// The 'ike' suite runs inside vici_charon_test.sh, which starts the charons;
// run on its own it has nothing to talk to and reports "skipped" (77).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (!std::getenv("CHARON_LAB_URI_solo")) {
        std::puts("ike: no lab charons (run through tests/ike/vici_charon_test.sh); skipping");
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
