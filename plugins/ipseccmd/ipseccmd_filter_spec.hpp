#pragma once
// The -f filter spec grammar (spec windows-ipsec.md §6.2):
//
//   filterspec = plain | "[" plain "]" | "(" plain ")" | "DEFAULT"
//   plain      = end dir end [ ":" proto ]      dir: "+" mirrored, "=" one direction
//   end        = host [ "/" mask ] [ ":" port ] host: 0 (me), * (any), a.b.c.d,
//                                               10.1.*.* (wildcard octets), DNS name
//
// The left end is the source, the right end the destination. The protocol is
// the third ':' field after the destination, so a spec without a destination
// port writes an empty one: `0:80+*::TCP` (E5); `0+*:TCP` reads TCP as a port (E18).
#include <optional>
#include <string_view>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/filter.hpp"
#include "plugins/ipseccmd/ipseccmd_words.hpp"

namespace winipsec::ipseccmd {

enum class SpecKind {
    Plain,    // takes the invocation's -n action
    Block,    // [spec]: a block filter (dynamic mode)
    Pass,     // (spec): a permit filter (dynamic mode) [I]
    Default,  // DEFAULT: the default response rule [I]
};

struct FilterSpec {
    SpecKind kind = SpecKind::Plain;
    Filter filter;             // unused for Default; where = the spec's first character
    Word word;                 // the spec as written
    SourceLocation direction;  // the '+' or '='
};

// Parses the values of every -f of one invocation: specs are separated by
// blanks (inside one quoted value as well). Every broken spec is reported;
// nullopt when any was.
std::optional<std::vector<FilterSpec>> parse_filter_list(const std::vector<Word>& values, Diagnostics& diagnostics);

// Exactly one spec.
std::optional<FilterSpec> parse_filter_spec(const Word& word, Diagnostics& diagnostics);

// host[/mask] of one end; `role` is "source" or "destination" for messages.
std::optional<FilterAddress> parse_filter_address(const Word& word, std::string_view role, Diagnostics& diagnostics);

// -t: an IPv4 address or a DNS name (spec §6.1).
std::optional<FilterAddress> parse_tunnel_endpoint(const Word& word, Diagnostics& diagnostics);

}  // namespace winipsec::ipseccmd
