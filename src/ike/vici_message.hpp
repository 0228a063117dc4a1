#pragma once
// The tree a VICI message carries (README "Message format"): a section holds,
// in order, key/values, lists of values and named sub-sections; the message
// itself is the implicit root section. Values are byte strings (charon sends
// text, numbers as decimal text, but a PSK or a certificate is raw bytes), so
// they are kept in std::string without any assumption about their content.
//
// Building: add(), add_list() and add_section() append in order; a name used
// twice in one section is a programming error (the protocol requires unique
// keys per section) and throws std::logic_error. Lengths are checked by the
// encoder, which returns an error value, because names and values can come
// from a user's policy.
//
// Reading: the typed accessors return the first entry of that name and kind,
// or nothing. Decoded messages keep duplicates as received, since charon
// itself repeats keys in some replies (get-algorithms lists one key per
// implementing plugin).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::ike {

struct ViciEntry;

class ViciSection {
public:
    // Appends a key/value and returns this section (chainable).
    ViciSection& add(std::string name, std::string value);
    // Appends a list (may be empty) and returns this section (chainable).
    ViciSection& add_list(std::string name, std::vector<std::string> items);
    // Appends an empty sub-section and returns it, to be filled by the caller.
    // The reference stays valid until the next append to *this* section.
    ViciSection& add_section(std::string name);
    // Appends a prepared sub-section and returns this section (chainable).
    ViciSection& add_section(std::string name, ViciSection section);
    // Appends without the uniqueness check: for the decoder, which must keep
    // what charon sent.
    void append(ViciEntry entry);

    // The value of key `name`, when present as a key/value.
    const std::string* value(std::string_view name) const;
    // The value read as a decimal integer; nothing when absent or not a number.
    std::optional<std::int64_t> number(std::string_view name) const;
    // "yes"/"no" (charon's booleans); nothing when absent or anything else.
    std::optional<bool> flag(std::string_view name) const;
    const std::vector<std::string>* list(std::string_view name) const;
    const ViciSection* section(std::string_view name) const;
    bool contains(std::string_view name) const;

    const std::vector<ViciEntry>& entries() const { return entries_; }
    bool empty() const { return entries_.empty(); }

    bool operator==(const ViciSection& other) const;

private:
    const ViciEntry* find(std::string_view name) const;
    void require_new_name(std::string_view name) const;

    std::vector<ViciEntry> entries_;
};

// One element of a section. Exactly one of value/items/section is meaningful,
// as said by kind.
struct ViciEntry {
    enum class Kind { Value, List, Section };
    Kind kind = Kind::Value;
    std::string name;
    std::string value;               // Kind::Value
    std::vector<std::string> items;  // Kind::List
    ViciSection section;             // Kind::Section

    bool operator==(const ViciEntry&) const = default;
};

// A message is its implicit root section.
using ViciMessage = ViciSection;

}  // namespace winipsec::ike
