#pragma once
// Every diagnostic code the consec importer emits, in one place so that tests
// and the README name them exactly.
namespace winipsec::consec::code {

// --- errors: the command (rule) is not imported
inline constexpr const char* no_commands = "E-CONSEC-NO-COMMANDS";  // no consec command in the file
inline constexpr const char* unsupported = "E-CONSEC-UNSUPPORTED";  // an option the legacy model cannot express
inline constexpr const char* unknown_tag = "E-CONSEC-UNKNOWN-TAG";  // netsh would reject the command
inline constexpr const char* untagged = "E-CONSEC-UNTAGGED";        // a value without `tag=`
inline constexpr const char* missing_tag = "E-CONSEC-MISSING-TAG";  // name, endpoint1, endpoint2, action
inline constexpr const char* bad_value = "E-CONSEC-BAD-VALUE";      // a value netsh would reject
inline constexpr const char* unterminated_quote = "E-CONSEC-UNTERMINATED-QUOTE";
inline constexpr const char* unsupported_command = "E-CONSEC-UNSUPPORTED-COMMAND";  // consec set rule, ...
inline constexpr const char* too_many_filters = "E-CONSEC-TOO-MANY-FILTERS";        // address x port lists explode

// --- warnings: imported, but something is lost or ignored
inline constexpr const char* duplicate_tag = "W-CONSEC-DUPLICATE-TAG";    // the last one counts
inline constexpr const char* duplicate_name = "W-CONSEC-DUPLICATE-NAME";  // two rules of one name
inline constexpr const char* ignored_tag = "W-CONSEC-IGNORED-TAG";        // auth1psk without computerpsk, ...
inline constexpr const char* not_ipsec = "W-CONSEC-NOT-IPSEC";            // advfirewall firewall ..., set allprofiles
inline constexpr const char* global_ignored = "W-CONSEC-GLOBAL-IGNORED";  // set global ipsec ...: not imported
inline constexpr const char* legacy_command = "W-CONSEC-LEGACY-COMMAND";  // netsh ipsec: --format netsh
inline constexpr const char* delete_nothing = "W-CONSEC-DELETE-NOTHING";  // delete rule that matches no rule
inline constexpr const char* not_assigned = "W-CONSEC-NOT-ASSIGNED";      // another policy is assigned already
inline constexpr const char* unknown_line = "W-CONSEC-UNKNOWN-LINE";      // show rule listing: a line not understood

// --- notes
inline constexpr const char* default_methods = "N-CONSEC-DEFAULT-METHODS";  // qmsecmethods absent/default
inline constexpr const char* qmpfs_group = "N-CONSEC-QMPFS-GROUP";          // legacy PFS uses the main-mode group
inline constexpr const char* host_bits = "N-CONSEC-HOST-BITS";              // 10.0.0.1/8 read as 10.0.0.0/8
inline constexpr const char* store = "N-CONSEC-STORE";                      // set store: rules go to one policy
inline constexpr const char* no_effect = "N-CONSEC-NO-EFFECT";              // show, help
inline constexpr const char* commented_out = "N-CONSEC-COMMENTED-OUT";
inline constexpr const char* not_a_command = "N-CONSEC-NOT-A-COMMAND";  // echo, pause, ...

}  // namespace winipsec::consec::code
