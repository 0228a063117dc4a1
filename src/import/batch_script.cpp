#include "import/batch_script.hpp"

// Placeholder: replaced by the real batch-file layer.
namespace winipsec {

BatchScript read_batch_script(const DecodedText& text, const BatchOptions&, Diagnostics&) {
    BatchScript script;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.utf8.size()) {
        const auto nl = text.utf8.find('\n', pos);
        const auto end = nl == std::string::npos ? text.utf8.size() : nl;
        ++line_no;
        ScriptLine line;
        line.file = text.path;
        line.text = text.utf8.substr(pos, end - pos);
        for (std::size_t i = 0; i <= line.text.size(); ++i) line.origin.push_back({line_no, static_cast<int>(i) + 1});
        if (!line.text.empty()) script.commands.push_back(std::move(line));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return script;
}

}  // namespace winipsec
