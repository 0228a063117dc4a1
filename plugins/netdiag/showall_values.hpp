#pragma once
// Values as `netsh ipsec static show all` prints them (spec §7.2, a layout
// reconstructed from memory [I]): YES/NO, "480 minutes / 0 Quick Mode
// sessions", main-mode rows "3DES SHA1 Medium(2)", quick-mode rows
// "100000/3600 ESP[3DES,SHA1]", addresses with their "DNS Name" column.
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/crypto_suite.hpp"
#include "model/filter_address.hpp"
#include "model/rule.hpp"

namespace winipsec::listing {

std::optional<bool> parse_yes_no(std::string_view v);
// "180 minutes" -> 180; "480 minutes / 0 Quick Mode sessions" -> {480, 0}.
std::optional<std::uint32_t> parse_minutes(std::string_view v);
struct MainModeLifetime {
    std::uint32_t minutes = 0;
    std::uint32_t quick_modes = 0;
};
std::optional<MainModeLifetime> parse_main_mode_lifetime(std::string_view v);

std::optional<MainModeOffer> parse_main_mode_row(std::string_view row);
std::optional<QuickModeOffer> parse_quick_mode_row(std::string_view row);

// "ANY" or a number.
std::optional<std::uint16_t> parse_listed_port(std::string_view v);
std::optional<std::uint8_t> parse_listed_protocol(std::string_view v);
std::optional<ConnectionType> parse_connection_type(std::string_view v);
// "NEGOTIATE SECURITY", "PERMIT", "BLOCK".
std::optional<ActionKind> parse_listed_action(std::string_view v);

// One filter end from its "IP Address", "Mask" and (optional, may be empty)
// "DNS Name" columns. nullopt with `why` set when they cannot be read.
std::optional<FilterAddress> parse_listed_address(std::string_view address, std::string_view mask,
                                                  std::string_view dns_name, std::string& why);

}  // namespace winipsec::listing
