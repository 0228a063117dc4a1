#pragma once
// Where a model object or a diagnostic came from. Columns count Unicode code
// points from 1, as editors show them; line 0 means "no position" (e.g. a
// default the importer supplied).
#include <memory>
#include <string>

namespace winipsec {

struct SourceLocation {
    std::shared_ptr<const std::string> file;  // shared: thousands of filters share one path
    int line = 0;
    int column = 0;

    const std::string& path() const;
    bool known() const { return file && line > 0; }
    // "file:line:column", or "file" / "<input>" when parts are unknown.
    std::string to_string() const;
};

}  // namespace winipsec
