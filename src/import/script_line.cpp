#include "import/script_line.hpp"

namespace winipsec {

SourceLocation ScriptLine::at(std::size_t offset) const {
    SourceLocation loc;
    loc.file = file;
    const auto p = origin.empty() ? map.at(text, offset) : origin[std::min(offset, origin.size() - 1)];
    loc.line = p.line;
    loc.column = p.column;
    return loc;
}

}  // namespace winipsec
