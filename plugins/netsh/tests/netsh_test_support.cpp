#include "plugins/netsh/tests/netsh_test_support.hpp"

#include <map>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "plugins/netsh/netsh_importer.hpp"

namespace winipsec::netsh::test {

std::string Imported::codes() const {
    std::map<std::string, int> counts;
    for (const auto& d : diagnostics.all()) ++counts[d.code];
    std::string out;
    for (const auto& [code, n] : counts) out += fmt::format("{}{}:{}", out.empty() ? "" : " ", code, n);
    return out;
}

const Diagnostic& Imported::first(std::string_view code) const {
    for (const auto& d : diagnostics.all())
        if (d.code == code) return d;
    FAIL("no diagnostic ", std::string(code), " in: ", codes());
    throw std::logic_error("unreachable");
}

const Policy& Imported::policy(std::string_view name) const {
    if (const Policy* p = store.find_policy(name)) return *p;
    if (const Policy* p = store.find_policy(name, Origin::Dynamic)) return *p;
    FAIL("no policy ", std::string(name));
    throw std::logic_error("unreachable");
}

const FilterList& Imported::list(std::string_view name) const {
    if (const FilterList* l = store.find_filter_list(name)) return *l;
    FAIL("no filter list ", std::string(name));
    throw std::logic_error("unreachable");
}

const FilterAction& Imported::action(std::string_view name) const {
    if (const FilterAction* a = store.find_filter_action(name)) return *a;
    FAIL("no filter action ", std::string(name));
    throw std::logic_error("unreachable");
}

Imported import_text(std::string_view text, const ImportOptions& options) {
    Imported out;
    auto decoded = decode_bytes(text, "test.bat", options.encoding);
    REQUIRE(decoded.has_value());
    netsh_importer().import(*decoded, options, out.store, out.diagnostics);
    return out;
}

std::string nis(std::initializer_list<std::string_view> lines) {
    std::string out;
    for (const auto line : lines) out += fmt::format("netsh ipsec static {}\n", line);
    return out;
}

}  // namespace winipsec::netsh::test
