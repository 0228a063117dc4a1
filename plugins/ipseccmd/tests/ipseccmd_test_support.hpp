#pragma once
// Shared by the ipseccmd plugin tests: import a script given as a string, and
// find what it produced.
#include <string>
#include <string_view>

#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "import/script_line.hpp"
#include "model/policy.hpp"
#include "plugins/ipseccmd/ipseccmd_words.hpp"

namespace winipsec::ipseccmd::test {

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;

    // "E-X:2 W-Y:1": every code with its count, sorted.
    std::string codes() const;
    std::size_t count(std::string_view code) const { return diagnostics.count(code); }
    const Diagnostic* first(std::string_view code) const;
    const Policy* policy(std::string_view name) const;  // static, any store location
    const Policy* dynamic() const;                      // "ipseccmd dynamic"
    const FilterList& list(const Rule& rule) const;     // CHECK-fails and throws if missing
    const FilterAction& action(const Rule& rule) const;
};

// Imports `text` (as the file "test.bat") with the ipseccmd importer.
Imported import_text(std::string_view text, const ImportOptions& options = {});

const Rule* find_rule(const Policy& policy, std::string_view name);
std::size_t rule_count(const Policy& policy);  // without the default response rule

// A ScriptLine whose byte i is line 1, column i + 1; and the word text[pos, pos+n) of it.
ScriptLine make_line(std::string text);
Word word_of(const ScriptLine& line, std::size_t pos = 0, std::size_t count = std::string::npos);

}  // namespace winipsec::ipseccmd::test
