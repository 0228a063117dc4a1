#include "corpus_sample.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "import/decoded_text.hpp"
#include "import/format_table.hpp"

namespace winipsec::corpus {

std::optional<std::filesystem::path> corpus_dir() {
    if (const char* env = std::getenv("WINIPSEC_CORPUS_DIR"); env && *env) {
        if (std::filesystem::is_directory(env)) return std::filesystem::path(env);
        return std::nullopt;
    }
    const auto dir = std::filesystem::path(WINIPSEC_SOURCE_ROOT) / ".." / "shared" / "corpus" / "windows";
    if (std::filesystem::is_directory(dir)) return std::filesystem::canonical(dir);
    return std::nullopt;
}

namespace {

// Blank the first two lines in the file's own encoding (UTF-16 samples have
// two-byte line ends; the BOM, if any, stays).
std::string blank_header(std::string bytes) {
    const bool utf16le = bytes.starts_with("\xFF\xFE");
    std::size_t pos = utf16le ? 2 : (bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0);
    for (int line = 0; line < 2; ++line) {
        const std::size_t start = pos;
        std::size_t nl = std::string::npos;
        for (std::size_t i = pos; i < bytes.size(); i += utf16le ? 2 : 1)
            if (bytes[i] == '\n' && (!utf16le || (i + 1 < bytes.size() && bytes[i + 1] == '\0'))) {
                nl = i;
                break;
            }
        if (nl == std::string::npos) throw std::runtime_error("sample has no two-line header");
        // keep a CR before LF so the line end style stays as it was
        std::size_t keep_from = nl;
        if (utf16le && nl >= 2 && bytes[nl - 2] == '\r') keep_from = nl - 2;
        if (!utf16le && nl >= 1 && bytes[nl - 1] == '\r') keep_from = nl - 1;
        bytes.erase(start, keep_from - start);
        pos = start + (nl - keep_from) + (utf16le ? 2 : 1);
    }
    return bytes;
}

}  // namespace

SampleImport import_sample(std::string_view file_name, std::string_view format, const ImportOptions& options) {
    const auto dir = corpus_dir();
    if (!dir) throw std::runtime_error("corpus not available");
    const auto path = *dir / std::string(file_name);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto text = decode_bytes(blank_header(std::move(bytes)), std::string(file_name), options.encoding);
    if (!text) throw std::runtime_error(text.error().message);
    const FormatEntry* entry = find_format(format);
    if (!entry) throw std::runtime_error("no format " + std::string(format));
    SampleImport result;
    result.encoding = text->encoding;
    entry->importer.import(*text, options, result.store, result.diagnostics);
    return result;
}

std::size_t filter_count(const PolicyStore& store) {
    std::size_t n = 0;
    for (const auto& list : store.filter_lists) n += list.filters.size();
    return n;
}

std::size_t rule_count(const PolicyStore& store) {
    std::size_t n = 0;
    for (const auto& p : store.policies)
        if (p.origin == Origin::Static)
            for (const auto& r : p.rules) n += r.default_response ? 0 : 1;
    return n;
}

std::string code_summary(const Diagnostics& diagnostics) {
    std::map<std::string, int> counts;
    for (const auto& d : diagnostics.all()) ++counts[d.code];
    std::string out;
    for (const auto& [code, n] : counts) out += fmt::format("{}{}:{}", out.empty() ? "" : " ", code, n);
    return out;
}

}  // namespace winipsec::corpus
