#pragma once
// A neutral registry tree: keys with typed values, each remembering where it
// was written. Every registry input (.reg files, reg.exe command lines, regf
// hives) is read into one of these, and the IPsec store is read from it, so
// that the store logic never sees the syntax of its source.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/script_line.hpp"
#include "model/source_location.hpp"

namespace winipsec::registry {

// Windows' value type numbers (REG_*); others are kept as their number.
namespace value_type {
inline constexpr std::uint32_t none = 0;
inline constexpr std::uint32_t string = 1;         // REG_SZ
inline constexpr std::uint32_t expand_string = 2;  // REG_EXPAND_SZ
inline constexpr std::uint32_t binary = 3;         // REG_BINARY
inline constexpr std::uint32_t dword = 4;          // REG_DWORD (little-endian)
inline constexpr std::uint32_t dword_big_endian = 5;
inline constexpr std::uint32_t multi_string = 7;  // REG_MULTI_SZ
inline constexpr std::uint32_t qword = 11;        // REG_QWORD
}  // namespace value_type

// "REG_SZ", "REG_BINARY", ... or "type 0x1234".
std::string value_type_name(std::uint32_t type);

struct RegistryValue {
    std::string name;  // "" = the key's default value (regedit `@`, reg.exe /ve)
    std::uint32_t type = value_type::string;
    std::vector<std::uint8_t> data;  // as Windows stores it: strings in UTF-16LE with their NULs
    SourceLocation where;            // the value's name as written
    // Where each data byte was spelled (the hex digits of `hex:` lists and
    // reg.exe /d strings); empty when the source has no such place.
    std::vector<TextPosition> byte_origin;

    // The place of data byte `offset` when known, else the value itself.
    SourceLocation at_byte(std::size_t offset) const;
    // REG_SZ / REG_EXPAND_SZ up to the first NUL.
    std::optional<std::string> text() const;
    // REG_MULTI_SZ, and REG_SZ as a list of one (hand-made stores use either).
    std::optional<std::vector<std::string>> strings() const;
    // REG_DWORD (and REG_DWORD_BIG_ENDIAN).
    std::optional<std::uint32_t> dword() const;
};

struct RegistryKey {
    std::string path;  // canonical root, then the components as first written
    SourceLocation where;
    std::vector<RegistryValue> values;  // in the order first set

    const RegistryValue* value(std::string_view name) const;  // names ignore ASCII case
    std::string_view leaf() const;                            // last component
    std::string_view parent_path() const;                     // "" for a root
};

class RegistryTree {
public:
    // The key at `path`, created when absent (its parents need not exist:
    // only the named keys matter to the importer).
    RegistryKey& open(std::string_view path, const SourceLocation& where);
    // Sets (or replaces) the value of the same name.
    void set(RegistryKey& key, RegistryValue value);
    // Deletes the key and every key below it; false when nothing was there.
    bool remove_key(std::string_view path);
    // False when the key or the value was not there.
    bool remove_value(std::string_view path, std::string_view name);

    const RegistryKey* find(std::string_view path) const;
    // Every key, in the order it was first created.
    std::vector<const RegistryKey*> keys() const;
    std::size_t size() const { return keys_.size(); }

private:
    struct Entry {
        std::size_t order;
        RegistryKey key;
    };
    std::map<std::string, Entry> keys_;  // by lower-cased canonical path
    std::size_t next_order_ = 0;
};

// Components split at `\`, empty ones dropped, the root abbreviations of
// reg.exe (HKLM, HKCU, HKCR, HKU, HKCC) spelled out: "HKLM\software\\x\" ->
// "HKEY_LOCAL_MACHINE\software\x".
std::string normalise_key_path(std::string_view path);
// The path starts with one of the five predefined roots (after normalising).
bool has_predefined_root(std::string_view normalised_path);

}  // namespace winipsec::registry
