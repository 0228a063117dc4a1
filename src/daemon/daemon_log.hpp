#pragma once
// winipsecd's log: one line per event on stderr. Under systemd (stderr is
// the journal, JOURNAL_STREAM says so) each line starts with its syslog
// priority (<3> ... <7>) so journald files it at the right level; otherwise
// "winipsecd: LEVEL: ". Lines about a Windows decision start with its
// file:line:column. Nothing here ever receives a secret: callers pass
// model::Secret-free text only (diagnostics and counts).
#include <string_view>

#include "daemon/daemon_config.hpp"

namespace winipsec::daemon {

void set_log_level(LogLevel level);
void log(LogLevel level, std::string_view message);

inline void log_debug(std::string_view m) {
    log(LogLevel::Debug, m);
}
inline void log_info(std::string_view m) {
    log(LogLevel::Info, m);
}
inline void log_warning(std::string_view m) {
    log(LogLevel::Warning, m);
}
inline void log_error(std::string_view m) {
    log(LogLevel::Error, m);
}

}  // namespace winipsec::daemon
