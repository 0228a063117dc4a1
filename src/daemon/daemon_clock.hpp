#pragma once
// The two clocks the daemon reports: elapsed milliseconds of a reload's
// phases (steady), and UTC wall time for status and last-known-good.
#include <chrono>
#include <ctime>
#include <string>

namespace winipsec::daemon {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// "2026-11-22T06:42:09Z"
inline std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace winipsec::daemon
