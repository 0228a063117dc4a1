#include "export/netsh_object_names.hpp"

#include <cctype>

#include <fmt/format.h>

#include "export/netsh_quoting.hpp"

namespace winipsec::netsh_script {
namespace {

// The case folding names_equal() uses.
std::string folded(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

const std::string& NameTable::add(const void* object, std::string_view original, const SourceLocation& where,
                                  ScriptBody& body) {
    CarriedText carried = carry_text(original);
    std::string reason;
    for (const auto& change : carried.changes) reason += fmt::format("{}{}", reason.empty() ? "" : ", ", change);
    std::string name = std::move(carried.text);
    if (name.empty()) {
        name = fmt::format("unnamed {} {}", kind_, ++unnamed_);
        reason = "netsh needs a name";
    }
    if (taken_.contains(folded(name))) {
        std::string unique;
        for (int n = 2; taken_.contains(folded(unique = fmt::format("{} ({})", name, n))); ++n) {
        }
        reason += fmt::format("{}another {} is already called '{}' (Windows compares names without case)",
                              reason.empty() ? "" : "; ", kind_, name);
        name = std::move(unique);
    }
    if (!reason.empty())
        body.diagnostics.warning("W-EXPORT-RENAMED", where,
                                 fmt::format("{} '{}' is written as '{}': {}", kind_, original, name, reason));
    body.check_hazards(name, where, fmt::format("the name of {} '{}'", kind_, name));
    taken_.insert(folded(name));
    by_original_.try_emplace(folded(original), name);
    return by_object_[object] = std::move(name);
}

const std::string* NameTable::find(std::string_view original) const {
    const auto it = by_original_.find(folded(original));
    return it == by_original_.end() ? nullptr : &it->second;
}

}  // namespace winipsec::netsh_script
