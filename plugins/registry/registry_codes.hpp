#pragma once
// Every diagnostic code the registry importer emits, in one place so that
// tests and the README name them exactly.
namespace winipsec::registry::code {

// --- errors: the object, value or file named is not imported
inline constexpr const char* no_header = "E-REG-NO-HEADER";  // regedit refuses a file without its header line
inline constexpr const char* bad_key = "E-REG-BAD-KEY";      // a key line regedit would reject
inline constexpr const char* value_outside_key = "E-REG-VALUE-OUTSIDE-KEY";
inline constexpr const char* value_syntax = "E-REG-VALUE-SYNTAX";        // data regedit cannot read
inline constexpr const char* reg_exe_syntax = "E-REG-EXE-SYNTAX";        // a reg.exe command reg.exe would refuse
inline constexpr const char* not_a_hive = "E-REG-NOT-A-HIVE";            // a binary (.ipsec) file that is no regf hive
inline constexpr const char* hive_unreadable = "E-REG-HIVE-UNREADABLE";  // libhivex refused the hive
inline constexpr const char* blob = "E-REG-BLOB";                        // an ipsecData blob that cannot be decoded
inline constexpr const char* missing_blob = "E-REG-MISSING-DATA";        // an object key without ipsecData
inline constexpr const char* dangling_reference = "E-REG-DANGLING-REFERENCE";  // a reference to an absent object
inline constexpr const char* bad_value_type = "E-REG-VALUE-TYPE";              // a store value of the wrong REG_ type
inline constexpr const char* unsupported_value = "E-REG-UNSUPPORTED";          // a blob value the model cannot hold

// --- warnings: imported, but check the result
inline constexpr const char* text_before_header = "W-REG-TEXT-BEFORE-HEADER";
inline constexpr const char* unreadable_line = "W-REG-UNREADABLE-LINE";        // regedit skips it too
inline constexpr const char* not_understood = "W-REG-NOT-UNDERSTOOD";          // present in the store, meaning unknown
inline constexpr const char* unknown_value = "W-REG-UNKNOWN-VALUE";            // a value name the store does not use
inline constexpr const char* unknown_key = "W-REG-UNKNOWN-KEY";                // a key in the store that is no object
inline constexpr const char* not_applied = "W-REG-NOT-APPLIED";                // reg.exe command winipsec cannot follow
inline constexpr const char* duplicate_name = "W-REG-DUPLICATE-NAME";          // two objects with one display name
inline constexpr const char* port_pairs = "W-REG-PORT-PAIRS";                  // from/to ports that read like ranges
inline constexpr const char* unconfirmed_layout = "W-REG-UNCONFIRMED-LAYOUT";  // Vista+ filter section, spec §3.3 [U]
inline constexpr const char* no_active_policy = "W-REG-ACTIVE-POLICY-MISSING";  // ActivePolicy names no policy

// --- notes: nothing lost, but worth knowing
inline constexpr const char* ignored = "N-REG-IGNORED";                // keys and values outside the IPsec store
inline constexpr const char* unreachable = "N-REG-UNREACHABLE";        // an object no policy uses
inline constexpr const char* owner_mismatch = "N-REG-OWNER-MISMATCH";  // back-reference disagrees
inline constexpr const char* no_effect = "N-REG-NO-EFFECT";            // reg query / export and the like
inline constexpr const char* store_location =
    "N-REG-STORE-LOCATION";                                // a Cache (GPO) copy, or a container of unknown kind
inline constexpr const char* replaced = "N-REG-REPLACED";  // an object of the same GUID was imported before
inline constexpr const char* several_lists = "N-REG-SEVERAL-FILTER-LISTS";  // one rule per filter list of an NFA

}  // namespace winipsec::registry::code
