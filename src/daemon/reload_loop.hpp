#pragma once
// winipsecd's event loop: one thread, one epoll set over the signals
// (SIGHUP reloads, SIGTERM/SIGINT stop), the sources' inotify watch, the
// rtnetlink address monitor and the control socket, plus deadlines for the
// debounced reloads, the polling interval, charon and the watchdog.
// Everything runs to completion in turn, so a reload never overlaps another.
#include "daemon/policy_daemon.hpp"

namespace winipsec::daemon {

// Returns the process exit status.
int run_reload_loop(PolicyDaemon& daemon);

}  // namespace winipsec::daemon
