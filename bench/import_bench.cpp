// Imports generated netsh blocklists (the script bench/kernel_bench.sh feeds
// to `winipsec apply`: one `add filter` line per source /24) and reports the
// best CPU seconds of a few runs of the whole import (read, decode, detect
// the format, batch layer, netsh commands, store checks), so that changes to
// the importers can be compared side by side without planning or rendering.
//   meson compile -C build import_bench && ./build/bench/import_bench [N...]
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "import/import_inputs.hpp"

using namespace winipsec;

namespace {

void write_blocklist(std::size_t n, const std::string& path) {
    std::ofstream f(path, std::ios::binary);
    f << "netsh ipsec static add policy name=\"bench\" activatedefaultrule=no\n";
    f << "netsh ipsec static add filteraction name=\"Block\" action=block\n";
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t a = (std::size_t{10} << 24) + (i << 8);
        f << fmt::format("netsh ipsec static add filter filterlist=\"bl\" srcaddr={}.{}.{}.0 srcmask=24 dstaddr=me\n",
                         a >> 24, (a >> 16) & 255, (a >> 8) & 255);
    }
    f << "netsh ipsec static add rule name=\"bl\" policy=\"bench\" filterlist=\"bl\" filteraction=\"Block\"\n";
    f << "netsh ipsec static set policy name=\"bench\" assign=yes\n";
}

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
    if (sizes.empty()) sizes = {10000, 100000};
    const auto dir = std::filesystem::temp_directory_path();
    std::printf("%8s %12s %10s\n", "filters", "import cpu s", "filters/s");
    for (const auto n : sizes) {
        const auto path = (dir / fmt::format("winipsec-import-bench-{}-{}.bat", n, getpid())).string();
        write_blocklist(n, path);
        InputSpec spec;
        spec.paths = {path};
        double best = 1e9;
        for (int run = 0; run < 5; ++run) {
            const double start = cpu_seconds();
            const auto imported = import_inputs(spec);
            const double seconds = cpu_seconds() - start;
            if (!imported || imported->store.filter_lists.empty() || imported->store.filter_lists[0].filters.size() != n) {
                std::fprintf(stderr, "import_bench: the import of %zu filters went wrong\n", n);
                return 1;
            }
            best = std::min(best, seconds);
        }
        std::filesystem::remove(path);
        std::printf("%8zu %12.3f %10.0f\n", n, best, static_cast<double>(n) / best);
    }
    return 0;
}
