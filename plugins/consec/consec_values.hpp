#pragma once
// Values of `netsh advfirewall consec` options (spec windows-ipsec.md §11.1)
// read into the legacy model's vocabulary. A value the legacy model cannot
// express is an Unsupported error, one netsh itself would reject is Bad.
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "model/crypto_suite.hpp"
#include "model/filter_address.hpp"

namespace winipsec::consec {

struct ValueError {
    enum class Kind { Bad, Unsupported };
    Kind kind = Kind::Bad;
    std::string message;
    static ValueError bad(std::string m) { return {Kind::Bad, std::move(m)}; }
    static ValueError unsupported(std::string m) { return {Kind::Unsupported, std::move(m)}; }
};

template <class T>
using Parsed = std::expected<T, ValueError>;

struct EndpointList {
    std::vector<FilterAddress> addresses;  // {any} for `any`
    bool host_bits_cleared = false;        // a subnet was written with host bits (10.0.0.1/8)
};
// any | dns | dhcp | wins | defaultgateway | address | subnet | range, comma-separated.
Parsed<EndpointList> parse_endpoint(std::string_view value);

// any (empty list) | port | list of ports. Ranges cannot be legacy filters.
Parsed<std::vector<std::uint16_t>> parse_ports(std::string_view value);
// any | tcp | udp | icmpv4 | icmpv6 | 0-255.
Parsed<std::uint8_t> parse_protocol(std::string_view value);

// qmsecmethods: (ah|esp|ah+esp):integrity[-encryption][+Nmin][+Nkb], comma-separated
// (integrity first, the opposite of legacy ESP[cipher,hash]).
Parsed<std::vector<QuickModeOffer>> parse_quick_mode_methods(std::string_view value);
// mmsecmethods: group:encryption-integrity (netsh), or group-encryption-integrity
// as `show rule` prints it; comma-separated.
Parsed<std::vector<MainModeOffer>> parse_main_mode_methods(std::string_view value);

// auth1ca: "CA name [certmapping:yes|no] [excludecaname:yes|no] [catype:root|intermediate] | ..."
// where \' inside the quoted value stands for a double quote.
struct CaName {
    std::string name;
    bool certificate_map = false;
    bool exclude_ca_name = false;
};
Parsed<std::vector<CaName>> parse_ca_names(std::string_view value);

std::optional<bool> parse_yes_no(std::string_view value);
bool iequals(std::string_view a, std::string_view b);
std::string lower(std::string_view s);

}  // namespace winipsec::consec
