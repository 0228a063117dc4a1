#pragma once
// The filter fields of a command (static add/delete filter, dynamic add rule):
// srcaddr, dstaddr, srcmask, dstmask, protocol, srcport, dstport, mirrored.
#include <cstdint>
#include <optional>

#include "model/filter.hpp"
#include "plugins/netsh/netsh_command.hpp"

namespace winipsec::netsh {

// What the command said; absent = not given.
struct FilterSpec {
    std::optional<FilterAddress> source, destination;  // masks already applied
    std::optional<std::uint8_t> protocol;
    std::optional<std::uint16_t> source_port, destination_port;
    std::optional<bool> mirrored;
};

enum class FilterUse { Add, Match };

// Reads the filter tags. Bad values make values.ok() false. With
// FilterUse::Add the warnings about the values are reported too (DNS names,
// masks that do not apply, host bits outside the mask).
FilterSpec read_filter_spec(ValueReader& values, FilterUse use);

// A filter with Windows' defaults for what was not given (spec §4.4:
// mirrored, protocol any, ports any), after the checks of §4.3: a server
// keyword forces the other side to `me`, ports need TCP or UDP, both sides of
// one family. nullopt (errors reported) when netsh would reject it.
std::optional<Filter> make_filter(const FilterSpec& spec, ValueReader& values, const SourceLocation& where,
                                  const std::string& description);

// `delete filter`: every given field must match, omitted fields match anything.
bool filter_matches(const Filter& stored, const FilterSpec& given);
// Same packets selected (description and location aside).
bool same_selector(const Filter& a, const Filter& b);
// A string equal for two filters exactly when same_selector() holds.
std::string selector_key(const Filter& f);

}  // namespace winipsec::netsh
