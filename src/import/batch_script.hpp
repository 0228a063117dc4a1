#pragma once
// The batch-file layer every text importer shares. It understands enough of
// cmd.exe to find the commands in real scripts (corpus/NOTES.md "Batch-language
// structure"), and nothing about netsh or ipseccmd themselves.
#include <map>
#include <string>
#include <vector>

#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "import/script_line.hpp"

namespace winipsec {

struct BatchOptions {
    // --define NAME=VALUE. These win over `set NAME=...` lines in the script so
    // that an admin can pin a value the script would compute.
    std::map<std::string, std::string> defines;
};

struct BatchScript {
    std::vector<ScriptLine> commands;             // in execution order
    std::vector<CommentedCommand> commented_out;  // for notes
};

// Errors (an undefined variable, unbalanced parentheses) go to `diagnostics`
// with codes E-BATCH-*; a line with an undefined variable is still returned
// with the reference left in place so the importer can keep going.
BatchScript read_batch_script(const DecodedText& text, const BatchOptions& options, Diagnostics& diagnostics);

}  // namespace winipsec
