#pragma once
// Model values spelled in netsh ipsec's value grammars (spec windows-ipsec.md
// §4.3), or the reason netsh has no spelling for them. Only what the grammar
// and its netsh importer both accept is written, so that the script means on
// Windows what winipsec reads back from it.
#include <expected>
#include <optional>
#include <string>

#include "model/crypto_suite.hpp"
#include "model/filter_address.hpp"
#include "model/policy.hpp"

namespace winipsec::netsh_script {

// The text, or why netsh cannot say it.
using Spelled = std::expected<std::string, std::string>;

const char* yes_no(bool value);

// srcaddr/dstaddr: me, any, DNS|WINS|DHCP|GATEWAY, an address, first-last, a DNS name.
Spelled address_text(const FilterAddress& address);
// srcmask/dstmask, when the address needs one: dotted for IPv4, a prefix
// length for IPv6. nullopt = write no mask.
std::optional<std::string> mask_text(const FilterAddress& address);
// tunnel= / tunneldstaddress=: an IPv4 host address or a DNS name.
Spelled tunnel_text(const FilterAddress& endpoint);

// "3DES-SHA1-2": DES/3DES, MD5/SHA1, group 1, 2 or 3 (2048-bit).
Spelled main_mode_offer_text(const MainModeOffer& offer);
// "ESP[3DES,SHA1]:100000k/3600s", "AH[MD5]+ESP[DES,None]".
Spelled quick_mode_offer_text(const QuickModeOffer& offer);

}  // namespace winipsec::netsh_script
