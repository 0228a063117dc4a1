#pragma once
// Every diagnostic code the listing importer (netdiag and `netsh ipsec static
// show all` layouts) emits, in one place so that tests and the README name
// them exactly.
namespace winipsec::listing::code {

// --- both layouts
inline constexpr const char* unknown_layout = "E-LISTING-UNKNOWN-LAYOUT";  // neither layout found
inline constexpr const char* bad_value = "E-LISTING-BAD-VALUE";            // a field whose value cannot be read
inline constexpr const char* missing_field = "E-LISTING-MISSING-FIELD";    // the object is not imported
inline constexpr const char* unknown_line = "W-LISTING-UNKNOWN-LINE";      // a line neither layout explains
inline constexpr const char* consec_listing = "E-LISTING-CONSEC";          // `consec show rule` output: --format consec

// --- netdiag /test:ipsec /debug (spec §7.1)
inline constexpr const char* no_filters = "E-NETDIAG-NO-FILTERS";  // a policy is named but no filter read
inline constexpr const char* no_policy = "N-NETDIAG-NO-POLICY";    // "no policy is assigned": nothing to import
inline constexpr const char* unnamed_policy = "W-NETDIAG-UNNAMED-POLICY";
inline constexpr const char* filter_count = "W-NETDIAG-FILTER-COUNT";      // "There are N filters" disagrees
inline constexpr const char* me_expanded = "N-NETDIAG-ME";                 // host addresses read back as `me`
inline constexpr const char* one_direction = "W-NETDIAG-ONE-DIRECTION";    // direction the model cannot keep
inline constexpr const char* duplicate = "N-NETDIAG-DUPLICATE";            // same filter again (multi-homed `me`)
inline constexpr const char* offers_unknown = "W-NETDIAG-OFFERS-UNKNOWN";  // negotiate: listing shows no methods
inline constexpr const char* unknown_flag = "W-NETDIAG-UNKNOWN-FLAG";      // a word on the Flags line

// --- netsh ipsec static show all / show policy level=verbose (spec §7.2)
inline constexpr const char* reconstructed = "W-SHOWALL-RECONSTRUCTED";  // the layout is not verified
inline constexpr const char* psk_hidden = "W-SHOWALL-PSK-HIDDEN";        // "Preshared key : ********"
inline constexpr const char* count_mismatch = "W-SHOWALL-COUNT";         // No. of Rules / Authentication Methods(n)
inline constexpr const char* outside_section = "E-SHOWALL-OUTSIDE";      // a rule field before any policy, ...

}  // namespace winipsec::listing::code
