#include "import/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace winipsec {

const char* to_string(Severity severity) {
    switch (severity) {
        case Severity::Note: return "note";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "?";
}

std::string Diagnostic::to_string() const {
    return fmt::format("{}: {}: {}: {}", where.to_string(), winipsec::to_string(severity), code, message);
}

void Diagnostics::add(Severity severity, std::string code, const SourceLocation& where, std::string message) {
    if (severity == Severity::Error) ++errors_;
    items_.push_back({severity, std::move(code), std::move(message), where});
}

std::size_t Diagnostics::count(std::string_view code) const {
    return static_cast<std::size_t>(
        std::count_if(items_.begin(), items_.end(), [&](const Diagnostic& d) { return d.code == code; }));
}

void Diagnostics::append(const Diagnostics& other) {
    for (const auto& d : other.items_) add(d.severity, d.code, d.where, d.message);
}

}  // namespace winipsec
