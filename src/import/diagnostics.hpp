#pragma once
// Findings of an importer: many per input, each with a place, a severity, a
// stable code and a message that says what to do. Printed as
//   file:line:col: severity: CODE: message
#include <string>
#include <vector>

#include "model/source_location.hpp"

namespace winipsec {

enum class Severity { Note, Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;  // stable, e.g. "E-NETSH-UNKNOWN-TAG", "W-MIRROR-NEGOTIATE"
    std::string message;
    SourceLocation where;

    std::string to_string() const;
};

class Diagnostics {
public:
    void add(Severity severity, std::string code, const SourceLocation& where, std::string message);
    void error(std::string code, const SourceLocation& where, std::string message) {
        add(Severity::Error, std::move(code), where, std::move(message));
    }
    void warning(std::string code, const SourceLocation& where, std::string message) {
        add(Severity::Warning, std::move(code), where, std::move(message));
    }
    void note(std::string code, const SourceLocation& where, std::string message) {
        add(Severity::Note, std::move(code), where, std::move(message));
    }

    const std::vector<Diagnostic>& all() const { return items_; }
    bool has_errors() const { return errors_ > 0; }
    std::size_t error_count() const { return errors_; }
    std::size_t count(std::string_view code) const;
    void append(const Diagnostics& other);

private:
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;
};

const char* to_string(Severity severity);  // "note", "warning", "error"

}  // namespace winipsec
