#pragma once
// systemd's notification protocol (sd_notify): READY=1 once the policy is
// enforced, STATUS= lines a `systemctl status` shows, RELOADING=1 around a
// reload, WATCHDOG=1 keep-alives. Without NOTIFY_SOCKET every call is a no-op.
#include <chrono>
#include <optional>
#include <string_view>

namespace winipsec::daemon {

void notify_status(std::string_view status);
void notify_ready(std::string_view status);
void notify_reloading();
void notify_reloaded(std::string_view status);
void notify_stopping();
void notify_watchdog();
// Half the WatchdogSec= systemd set for this process, or nullopt.
std::optional<std::chrono::milliseconds> watchdog_interval();

}  // namespace winipsec::daemon
