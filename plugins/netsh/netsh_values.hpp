#pragma once
// Value grammars of netsh ipsec (spec windows-ipsec.md §4.3). Each parser
// returns the value or a message that says what is wrong and what is allowed;
// keywords are case-insensitive.
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/crypto_suite.hpp"
#include "model/filter_action.hpp"
#include "model/filter_address.hpp"
#include "model/policy.hpp"
#include "model/rule.hpp"

namespace winipsec::netsh {

template <class T>
using Parsed = std::expected<T, std::string>;

Parsed<bool> parse_bool(std::string_view text);  // yes/no, leniently y/n
Parsed<std::uint32_t> parse_number(std::string_view text, std::uint32_t min, std::uint32_t max);
Parsed<std::uint8_t> parse_protocol(std::string_view text);  // ANY ICMP TCP UDP RAW 0-255
Parsed<std::uint16_t> parse_port(std::string_view text);     // 0-65535, 0 = any

// me, any, IPv4, IPv6, a-b ranges, DNS/WINS/DHCP/GATEWAY, DNS names. The mask
// is applied by the caller (it needs both the address and the mask tag).
Parsed<FilterAddress> parse_address(std::string_view text);
// Dotted (IPv4) or colon (IPv6) mask, or a prefix length; the result is the
// prefix length. Non-contiguous masks are rejected.
Parsed<int> parse_mask(std::string_view text, IpFamily family);

Parsed<ActionKind> parse_action(std::string_view text);             // permit block negotiate
Parsed<ConnectionType> parse_conntype(std::string_view text);       // lan dialup all
Parsed<StoreLocation> parse_store_location(std::string_view text);  // local domain persistent
// IPv4 address or DNS name; `0` / `0.0.0.0` mean "no tunnel" (transport).
Parsed<std::optional<FilterAddress>> parse_tunnel(std::string_view text);

// "3DES-SHA1-2 DES-MD5-1": cipher-hash-group; group 3 is 2048-bit (IKE group 14).
Parsed<std::vector<MainModeOffer>> parse_mmsecmethods(std::string_view text);
// "ESP[3DES,SHA1]:100000k/3600s AH[MD5]+ESP[DES,None]".
Parsed<std::vector<QuickModeOffer>> parse_qmsecmethods(std::string_view text);
// `rootca="CN=Root, O=Org certmap:yes excludecaname:no"`; `\'` stands for `"`.
Parsed<AuthMethod> parse_rootca(std::string_view text);

}  // namespace winipsec::netsh
