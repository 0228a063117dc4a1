#include "plugins/consec/tests/consec_test_support.hpp"

#include <map>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "plugins/consec/consec_importer.hpp"
#include "plugins/consec/consec_policy.hpp"

namespace winipsec::consec::test {

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

const Policy& Imported::policy() const {
    const Policy* p = store.find_policy(policy_name);
    REQUIRE(p);
    return *p;
}

std::vector<const Rule*> Imported::rules() const {
    std::vector<const Rule*> out;
    if (const Policy* p = store.find_policy(policy_name))
        for (const auto& r : p->rules)
            if (!r.default_response) out.push_back(&r);
    return out;
}

const Rule& Imported::rule(std::string_view name) const {
    for (const auto* r : rules())
        if (r->name == name) return *r;
    FAIL("no rule ", std::string(name), " in: ", codes());
    throw std::logic_error("unreachable");
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

Imported import_text(std::string_view text, PolicyStore store) {
    Imported out;
    out.store = std::move(store);
    auto decoded = decode_bytes(text, "test.bat");
    REQUIRE(decoded.has_value());
    consec_importer().import(*decoded, {}, out.store, out.diagnostics);
    return out;
}

Imported add_rule(std::string_view arguments) {
    return import_text(fmt::format("netsh advfirewall consec add rule {}\n", arguments));
}

Imported import_undecoded(std::string_view utf8) {
    Imported out;
    DecodedText text;
    text.path = std::make_shared<const std::string>("test.bat");
    text.utf8 = std::string(utf8);
    text.encoding = "UTF-8";
    consec_importer().import(text, {}, out.store, out.diagnostics);
    return out;
}

int recognise(std::string_view text) {
    auto decoded = decode_bytes(text, "test.bat");
    REQUIRE(decoded.has_value());
    return consec_importer().recognise(*decoded);
}

}  // namespace winipsec::consec::test
