#pragma once
// Imports consec text in the unit tests, through the same path as a file.
#include <string>
#include <string_view>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec::consec::test {

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;

    // "E-X:1 W-Y:2": every code with its count, sorted.
    std::string codes() const;
    const Diagnostic& first(std::string_view code) const;

    const Policy& policy() const;  // "advfirewall consec"
    // The rules without the default response rule.
    std::vector<const Rule*> rules() const;
    const Rule& rule(std::string_view name) const;
    const FilterList& list_of(const Rule& rule) const;
    const FilterAction& action_of(const Rule& rule) const;
};

// `text` as the content of a file named test.bat.
Imported import_text(std::string_view text, PolicyStore store = {});
// One `netsh advfirewall consec add rule <arguments>` line.
Imported add_rule(std::string_view arguments);
int recognise(std::string_view text);
// `utf8` handed to the importer as it is, without decoding: even bytes that
// decoding would never produce must not crash an importer.
Imported import_undecoded(std::string_view utf8);

}  // namespace winipsec::consec::test
