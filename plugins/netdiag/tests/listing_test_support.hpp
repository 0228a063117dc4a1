#pragma once
// Imports listing text in the unit tests, through the same path as a file.
#include <string>
#include <string_view>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec::listing::test {

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;

    // "E-X:1 W-Y:2": every code with its count, sorted.
    std::string codes() const;
    // The first diagnostic with `code` (fails the test when there is none).
    const Diagnostic& first(std::string_view code) const;

    const Policy& only_policy() const;
    // The rules of the only policy, without the default response rule.
    std::vector<const Rule*> rules() const;
    const FilterList& list_of(const Rule& rule) const;
    const FilterAction& action_of(const Rule& rule) const;
};

// `text` as the content of a file named listing.txt.
Imported import_listing(std::string_view text);
int recognise(std::string_view text);
// `utf8` handed to the importer as it is, without decoding: even bytes that
// decoding would never produce must not crash an importer.
Imported import_undecoded(std::string_view utf8);

}  // namespace winipsec::listing::test
