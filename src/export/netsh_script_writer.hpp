#pragma once
// The store as a script an administrator reviews and runs on Windows to
// recreate it: a cmd.exe batch file of `netsh ipsec static ...` lines (and
// `netsh ipsec dynamic ...` for the volatile part), the form the scripts in
// the wild and Microsoft's own KB articles use. winipsec's netsh importer
// reads it back to the same store, up to what the W-EXPORT-* diagnostics
// report (README "NETSH SCRIPTS").
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec {

struct NetshScriptOptions {
    bool show_secrets = false;         // write pre-shared keys; otherwise "<REDACTED>"
    std::vector<std::string> sources;  // the input files, named in the header
    std::string generator = "winipsec";
};

// The script, with CRLF line ends (cmd.exe and Notepad before Windows 10 1809
// expect them). What netsh cannot express is left out with a `rem` line in
// the script and a warning in `diagnostics`, located at the model object.
std::string write_netsh_script(const PolicyStore& store, const NetshScriptOptions& options, Diagnostics& diagnostics);

}  // namespace winipsec
