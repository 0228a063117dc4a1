#pragma once
// Imports netsh text in the unit tests, through the same path as a file.
#include <string>
#include <string_view>

#include "import/diagnostics.hpp"
#include "import/importer.hpp"
#include "model/policy.hpp"

namespace winipsec::netsh::test {

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;

    // "E-X:1 W-Y:2": every code with its count, sorted.
    std::string codes() const;
    std::size_t count(std::string_view code) const { return diagnostics.count(code); }
    // The first diagnostic with `code` (fails the test when there is none).
    const Diagnostic& first(std::string_view code) const;

    const Policy& policy(std::string_view name) const;
    const FilterList& list(std::string_view name) const;
    const FilterAction& action(std::string_view name) const;
};

// `text` as the content of a file named test.bat.
Imported import_text(std::string_view text, const ImportOptions& options = {});

// Lines joined with "\n", each prefixed "netsh ipsec static ".
std::string nis(std::initializer_list<std::string_view> lines);

}  // namespace winipsec::netsh::test
