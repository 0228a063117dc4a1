#pragma once
// Every diagnostic code the ipseccmd/ipsecpol importer emits, in one place so
// that tests and documentation name them exactly.
namespace winipsec::ipseccmd::code {

// --- errors: the invocation is not applied (Windows' tool would have
// printed its usage and changed nothing) unless stated otherwise
inline constexpr const char* no_commands = "E-IPSECCMD-NO-COMMANDS";  // the file has no invocation at all
inline constexpr const char* unknown_switch = "E-IPSECCMD-UNKNOWN-SWITCH";
inline constexpr const char* slash_switch = "E-IPSECCMD-SLASH-SWITCH";  // /f instead of -f
inline constexpr const char* missing_value = "E-IPSECCMD-MISSING-VALUE";
inline constexpr const char* unexpected_argument = "E-IPSECCMD-UNEXPECTED-ARGUMENT";
inline constexpr const char* conflicting_switches = "E-IPSECCMD-CONFLICTING-SWITCHES";
inline constexpr const char* missing_filters = "E-IPSECCMD-MISSING-FILTERS";  // nothing to do without -f
inline constexpr const char* missing_policy = "E-IPSECCMD-MISSING-POLICY";    // static mode without -p
inline constexpr const char* bad_store = "E-IPSECCMD-BAD-STORE";              // -w value
inline constexpr const char* bad_policy_name = "E-IPSECCMD-BAD-POLICY-NAME";  // -p value
inline constexpr const char* unresolved_variable = "E-IPSECCMD-UNRESOLVED-VARIABLE";
inline constexpr const char* filter_syntax = "E-IPSECCMD-FILTER-SYNTAX";
inline constexpr const char* filter_space = "E-IPSECCMD-FILTER-SPACE";  // a spec broken by blanks (KB placeholders)
inline constexpr const char* bad_address = "E-IPSECCMD-BAD-ADDRESS";
inline constexpr const char* bad_mask = "E-IPSECCMD-BAD-MASK";
inline constexpr const char* bad_port = "E-IPSECCMD-BAD-PORT";
inline constexpr const char* bad_protocol = "E-IPSECCMD-BAD-PROTOCOL";
inline constexpr const char* port_protocol = "E-IPSECCMD-PORT-PROTOCOL";      // port with a protocol other than TCP/UDP
inline constexpr const char* bracket_static = "E-IPSECCMD-BRACKET-STATIC";    // [..] / (..) with -w
inline constexpr const char* default_mixed = "E-IPSECCMD-DEFAULT-MIXED";      // DEFAULT next to other specs
inline constexpr const char* bad_negotiation = "E-IPSECCMD-BAD-NEGOTIATION";  // -n
inline constexpr const char* esp_none = "E-IPSECCMD-ESP-NONE";                // ESP[NONE,NONE]
inline constexpr const char* bad_auth = "E-IPSECCMD-BAD-AUTH";                // -a
inline constexpr const char* bad_main_mode = "E-IPSECCMD-BAD-MAIN-MODE";      // -1s, -1k
inline constexpr const char* bad_tunnel = "E-IPSECCMD-BAD-TUNNEL";            // -t

// --- warnings: applied, but check the result
inline constexpr const char* en_dash = "W-IPSECCMD-EN-DASH";
inline constexpr const char* remote_computer = "W-IPSECCMD-REMOTE-COMPUTER";
inline constexpr const char* dynamic_mode = "W-IPSECCMD-DYNAMIC-MODE";  // -p/-r/-x/-y/-o without -w
inline constexpr const char* no_such_policy = "W-IPSECCMD-NO-SUCH-POLICY";
inline constexpr const char* no_such_rule = "W-IPSECCMD-NO-SUCH-RULE";
inline constexpr const char* file_not_read = "W-IPSECCMD-FILE-NOT-READ";  // ipsec import, ipseccmd -file
inline constexpr const char* dns_name = "W-IPSECCMD-DNS-NAME";
inline constexpr const char* host_bits = "W-IPSECCMD-HOST-BITS";
inline constexpr const char* mask_ignored = "W-IPSECCMD-MASK-IGNORED";
inline constexpr const char* vbscript_string = "W-IPSECCMD-VBSCRIPT-STRING";
inline constexpr const char* duplicate_switch = "W-IPSECCMD-DUPLICATE-SWITCH";
inline constexpr const char* ignored_switch = "W-IPSECCMD-IGNORED-SWITCH";
inline constexpr const char* pfs_group = "W-IPSECCMD-PFS-GROUP";
inline constexpr const char* tunnel_mirrored = "W-IPSECCMD-TUNNEL-MIRRORED";
inline constexpr const char* unterminated_quote = "W-IPSECCMD-UNTERMINATED-QUOTE";
// shared with the other importers

// --- notes: nothing lost, but worth knowing
inline constexpr const char* commented_out = "N-IPSECCMD-COMMENTED-OUT";
inline constexpr const char* not_a_command = "N-IPSECCMD-NOT-A-COMMAND";
inline constexpr const char* dynamic = "N-IPSECCMD-DYNAMIC";
inline constexpr const char* rule_replaced = "N-IPSECCMD-RULE-REPLACED";
inline constexpr const char* no_effect = "N-IPSECCMD-NO-EFFECT";      // -?, show, export: no policy change
inline constexpr const char* not_applied = "N-IPSECCMD-NOT-APPLIED";  // undefined variable already reported

}  // namespace winipsec::ipseccmd::code
