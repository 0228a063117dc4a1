#pragma once
// Text as the registry stores it: UTF-16LE code units (REG_SZ, REG_MULTI_SZ,
// the strings inside ipsecData blobs) and the ASCII-only case folding Windows
// applies to key and value names.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::registry {

// UTF-16LE bytes to UTF-8; an odd last byte is dropped, unpaired surrogates
// become U+FFFD. Stops at nothing: the caller cuts at a NUL if it wants to.
std::string utf16le_to_utf8(std::span<const std::uint8_t> bytes);
// UTF-8 to UTF-16LE bytes, without a terminating NUL. Invalid UTF-8 bytes
// become U+FFFD.
std::vector<std::uint8_t> utf8_to_utf16le(std::string_view text);
// Single-byte (REGEDIT4 "ANSI") text to UTF-8, read as Windows-1252's
// Latin-1 subset: the code page of the exporting machine is not recorded.
std::string latin1_to_utf8(std::span<const std::uint8_t> bytes);

// Registry names compare without regard to ASCII case (IPSEC, IPSec, ipsec).
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
bool iends_with(std::string_view text, std::string_view suffix);

}  // namespace winipsec::registry
