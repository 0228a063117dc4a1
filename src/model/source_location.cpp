#include "model/source_location.hpp"

#include <fmt/format.h>

namespace winipsec {

const std::string& SourceLocation::path() const {
    static const std::string unknown = "<input>";
    return file ? *file : unknown;
}

std::string SourceLocation::to_string() const {
    if (line <= 0) return path();
    if (column <= 0) return fmt::format("{}:{}", path(), line);
    return fmt::format("{}:{}:{}", path(), line, column);
}

}  // namespace winipsec
