#include "import/script_line.hpp"

namespace winipsec {

SourceLocation ScriptLine::at(std::size_t offset) const {
    SourceLocation loc;
    loc.file = file;
    if (origin.empty()) return loc;
    const auto& p = origin[std::min(offset, origin.size() - 1)];
    loc.line = p.line;
    loc.column = p.column;
    return loc;
}

}  // namespace winipsec
