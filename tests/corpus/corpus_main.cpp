// The corpus suites need ../shared; without it they report "skipped" to meson
// (exit status 77) instead of failing or passing vacuously.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "corpus_sample.hpp"

int main(int argc, char** argv) {
    if (!winipsec::corpus::corpus_dir()) {
        std::puts("corpus: ../shared/corpus/windows not found; skipping (set WINIPSEC_CORPUS_DIR to run)");
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
