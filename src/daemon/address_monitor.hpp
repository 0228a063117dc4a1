#pragma once
// Tells the daemon when this network namespace's addresses change
// (rtnetlink RTM_NEWADDR / RTM_DELADDR), so Windows' `me` can be expanded
// again, as Windows does (spec §8.3). It only says "something changed";
// the daemon reads the addresses itself and replans only when `me` differs.
#include <expected>
#include <string>

struct mnl_socket;

namespace winipsec::daemon {

class AddressMonitor {
public:
    static std::expected<AddressMonitor, std::string> open();
    AddressMonitor(AddressMonitor&& other) noexcept;
    AddressMonitor(const AddressMonitor&) = delete;
    AddressMonitor& operator=(const AddressMonitor&) = delete;
    ~AddressMonitor();

    int fd() const;
    // Reads every queued notification; true when an address was added or
    // removed (or notifications were lost, which means "maybe").
    bool drain();

private:
    explicit AddressMonitor(mnl_socket* socket) : socket_(socket) {}
    mnl_socket* socket_;
};

}  // namespace winipsec::daemon
