#include "daemon/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <string>

#include <fmt/format.h>

namespace winipsec::daemon {

namespace {

// STATUS= is one line; a newline would start another assignment.
std::string one_line(std::string_view text) {
    std::string s(text);
    for (char& c : s)
        if (c == '\n') c = ' ';
    return s;
}

void send(const std::string& state) {
    sd_notify(0, state.c_str());
}

}  // namespace

void notify_status(std::string_view status) {
    send(fmt::format("STATUS={}", one_line(status)));
}
void notify_ready(std::string_view status) {
    send(fmt::format("READY=1\nSTATUS={}", one_line(status)));
}
void notify_reloading() {
    send("RELOADING=1\nSTATUS=reloading the policy");
}
void notify_reloaded(std::string_view status) {
    send(fmt::format("READY=1\nSTATUS={}", one_line(status)));
}
void notify_stopping() {
    send("STOPPING=1");
}
void notify_watchdog() {
    send("WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::milliseconds(usec / 2000);
}

}  // namespace winipsec::daemon
