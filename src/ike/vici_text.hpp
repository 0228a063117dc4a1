#pragma once
// Human-readable text of a VICI message, for traces, diagnostics and tests.
// By default every value whose key names a secret (data, secret, psk, pin,
// password, passphrase; any case) is printed as "********": a load-shared
// request carries the PSK in `data`, load-key/load-token carry keys and PINs.
// Only an explicit ViciRedaction::None (winipsec's --show-secrets) shows them.
//
// Layout follows the README's pseudo-markup: `key = value`, `name { ... }`,
// `name = [a, b]`. Values that are not plain words are double-quoted with C
// escapes; values with bytes outside printable ASCII are printed as 0x-hex.
#include <string>
#include <string_view>

#include "ike/vici_message.hpp"

namespace winipsec::ike {

enum class ViciRedaction { Secrets, None };

// True for key names whose values are secret.
bool is_secret_key(std::string_view name);

// One line: `{ key1 = value1 section1 { key2 = value2 } list1 = [item1, item2] }`.
std::string format_vici_inline(const ViciMessage& message, ViciRedaction redaction = ViciRedaction::Secrets);

// Indented, one entry per line (4 spaces per level), ending in a newline
// unless the message is empty.
std::string format_vici_block(const ViciMessage& message, ViciRedaction redaction = ViciRedaction::Secrets);

}  // namespace winipsec::ike
