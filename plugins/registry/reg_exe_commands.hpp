#pragma once
// `reg add` / `reg delete` command lines (reg.exe, corpus #40: `Echo Y | Reg.exe
// add "HKLM\..." /v NAME /t REG_BINARY /d <hex> /f`) applied to a registry
// tree in the order cmd.exe would run them. The batch-file layer
// (src/import/batch_script.hpp) finds the commands.
#include <string_view>

#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "plugins/registry/registry_tree.hpp"

namespace winipsec::registry {

// Returns the number of reg.exe commands found (0 is reported as an error).
std::size_t read_reg_exe_commands(const DecodedText& text, const ImportOptions& options, RegistryTree& tree,
                                  Diagnostics& diagnostics);

// How many lines of `utf8` start like `reg add` / `reg.exe delete` (after an
// optional `echo Y |`), and how many of those name an IPsec key. For recognise().
struct RegExeLineCount {
    int commands = 0;
    int ipsec = 0;
};
RegExeLineCount count_reg_exe_lines(std::string_view utf8);

}  // namespace winipsec::registry
