#include "ipseccmd_test_support.hpp"

#include <map>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "plugins/ipseccmd/ipseccmd_commands.hpp"
#include "plugins/ipseccmd/ipseccmd_importer.hpp"

namespace winipsec::ipseccmd::test {

std::string Imported::codes() const {
    std::map<std::string, int> counts;
    for (const auto& d : diagnostics.all()) ++counts[d.code];
    std::string out;
    for (const auto& [code, n] : counts) out += fmt::format("{}{}:{}", out.empty() ? "" : " ", code, n);
    return out;
}

const Diagnostic* Imported::first(std::string_view code) const {
    for (const auto& d : diagnostics.all())
        if (d.code == code) return &d;
    return nullptr;
}

const Policy* Imported::policy(std::string_view name) const {
    for (const auto& p : store.policies)
        if (p.origin == Origin::Static && names_equal(p.name, name)) return &p;
    return nullptr;
}

const Policy* Imported::dynamic() const {
    return store.find_policy(dynamic_policy_name, Origin::Dynamic);
}

const FilterList& Imported::list(const Rule& rule) const {
    const auto* l = store.find_filter_list(rule.filter_list);
    REQUIRE_MESSAGE(l, "no filter list '" << rule.filter_list << "'");
    return *l;
}

const FilterAction& Imported::action(const Rule& rule) const {
    const auto* a = store.find_filter_action(rule.filter_action);
    REQUIRE_MESSAGE(a, "no filter action '" << rule.filter_action << "'");
    return *a;
}

Imported import_text(std::string_view text, const ImportOptions& options) {
    auto decoded = decode_bytes(text, "test.bat");
    if (!decoded) throw std::runtime_error(decoded.error().message);
    Imported out;
    ipseccmd_importer().import(*decoded, options, out.store, out.diagnostics);
    return out;
}

const Rule* find_rule(const Policy& policy, std::string_view name) {
    for (const auto& r : policy.rules)
        if (!r.default_response && names_equal(r.name, name)) return &r;
    return nullptr;
}

std::size_t rule_count(const Policy& policy) {
    std::size_t n = 0;
    for (const auto& r : policy.rules) n += r.default_response ? 0 : 1;
    return n;
}

ScriptLine make_line(std::string text) {
    static const auto file = std::make_shared<const std::string>("line.bat");
    ScriptLine line;
    line.file = file;
    line.text = std::move(text);
    for (std::size_t i = 0; i <= line.text.size(); ++i) line.origin.push_back({1, static_cast<int>(i) + 1});
    return line;
}

Word word_of(const ScriptLine& line, std::size_t pos, std::size_t count) {
    return Word::of_line(line).slice(pos, count);
}

}  // namespace winipsec::ipseccmd::test
