#include "plugins/netdiag/tests/listing_test_support.hpp"

#include <map>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "plugins/netdiag/netdiag_importer.hpp"

namespace winipsec::listing::test {

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

const Policy& Imported::only_policy() const {
    REQUIRE(store.policies.size() == 1);
    return store.policies.front();
}

std::vector<const Rule*> Imported::rules() const {
    std::vector<const Rule*> out;
    for (const auto& r : only_policy().rules)
        if (!r.default_response) out.push_back(&r);
    return out;
}

const FilterList& Imported::list_of(const Rule& rule) const {
    const FilterList* l = store.find_filter_list(rule.filter_list);
    REQUIRE(l);
    return *l;
}

const FilterAction& Imported::action_of(const Rule& rule) const {
    const FilterAction* a = store.find_filter_action(rule.filter_action);
    REQUIRE(a);
    return *a;
}

Imported import_listing(std::string_view text) {
    Imported out;
    auto decoded = decode_bytes(text, "listing.txt");
    REQUIRE(decoded.has_value());
    netdiag_importer().import(*decoded, {}, out.store, out.diagnostics);
    return out;
}

Imported import_undecoded(std::string_view utf8) {
    Imported out;
    DecodedText text;
    text.path = std::make_shared<const std::string>("listing.txt");
    text.utf8 = std::string(utf8);
    text.encoding = "UTF-8";
    netdiag_importer().import(text, {}, out.store, out.diagnostics);
    return out;
}

int recognise(std::string_view text) {
    auto decoded = decode_bytes(text, "listing.txt");
    REQUIRE(decoded.has_value());
    return netdiag_importer().recognise(*decoded);
}

}  // namespace winipsec::listing::test
