#include "import/script_line.hpp"

namespace winipsec {

TextPosition ScriptLine::position(std::size_t offset) const {
    return origin.empty() ? map.at(text, offset) : origin[std::min(offset, origin.size() - 1)];
}

SourceLocation ScriptLine::at(std::size_t offset) const {
    const auto p = position(offset);
    return {file, p.line, p.column};
}

}  // namespace winipsec
