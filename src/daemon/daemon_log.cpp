#include "daemon/daemon_log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace winipsec::daemon {

namespace {

LogLevel threshold = LogLevel::Info;

// systemd sets JOURNAL_STREAM=DEV:INODE for the stream stderr is connected
// to; only when stderr still is that stream do priority prefixes belong.
bool stderr_is_journal() {
    static const bool journal = [] {
        const char* env = std::getenv("JOURNAL_STREAM");
        if (!env) return false;
        struct stat st {};
        if (::fstat(STDERR_FILENO, &st) != 0) return false;
        return fmt::format("{}:{}", st.st_dev, st.st_ino) == env;
    }();
    return journal;
}

int syslog_priority(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return 7;
        case LogLevel::Info: return 6;
        case LogLevel::Warning: return 4;
        case LogLevel::Error: return 3;
    }
    return 6;
}

}  // namespace

void set_log_level(LogLevel level) {
    threshold = level;
}

void log(LogLevel level, std::string_view message) {
    if (level < threshold) return;
    std::string line = stderr_is_journal() ? fmt::format("<{}>{}\n", syslog_priority(level), message)
                                           : fmt::format("winipsecd: {}: {}\n", to_string(level), message);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace winipsec::daemon
