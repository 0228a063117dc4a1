#include "plugins/registry/registry_tree.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> roots = {{
    {"HKLM", "HKEY_LOCAL_MACHINE"},
    {"HKCU", "HKEY_CURRENT_USER"},
    {"HKCR", "HKEY_CLASSES_ROOT"},
    {"HKU", "HKEY_USERS"},
    {"HKCC", "HKEY_CURRENT_CONFIG"},
}};

// UTF-16LE text from `data` up to its first NUL code unit.
std::string decode_until_nul(std::span<const std::uint8_t> data) {
    std::size_t end = 0;
    while (end + 1 < data.size() && (data[end] | data[end + 1]) != 0) end += 2;
    return utf16le_to_utf8(data.subspan(0, std::min(end, data.size())));
}

}  // namespace

std::string value_type_name(std::uint32_t type) {
    switch (type) {
        case value_type::none: return "REG_NONE";
        case value_type::string: return "REG_SZ";
        case value_type::expand_string: return "REG_EXPAND_SZ";
        case value_type::binary: return "REG_BINARY";
        case value_type::dword: return "REG_DWORD";
        case value_type::dword_big_endian: return "REG_DWORD_BIG_ENDIAN";
        case value_type::multi_string: return "REG_MULTI_SZ";
        case value_type::qword: return "REG_QWORD";
        default: return fmt::format("type 0x{:x}", type);
    }
}

SourceLocation RegistryValue::at_byte(std::size_t offset) const {
    if (offset >= byte_origin.size()) {
        if (byte_origin.empty()) return where;
        offset = byte_origin.size() - 1;
    }
    SourceLocation loc = where;
    loc.line = byte_origin[offset].line;
    loc.column = byte_origin[offset].column;
    return loc;
}

std::optional<std::string> RegistryValue::text() const {
    if (type != value_type::string && type != value_type::expand_string) return std::nullopt;
    return decode_until_nul(data);
}

std::optional<std::vector<std::string>> RegistryValue::strings() const {
    if (type == value_type::string) return std::vector<std::string>{*text()};
    if (type != value_type::multi_string) return std::nullopt;
    // NUL-separated and ended by an empty string; an unterminated last string counts.
    std::vector<std::string> out;
    const std::size_t end = data.size() & ~std::size_t{1};
    std::size_t start = 0;
    for (std::size_t i = 0; i <= end; i += 2) {
        if (i < end && (data[i] | data[i + 1]) != 0) continue;
        if (i == start) break;
        out.push_back(utf16le_to_utf8(std::span<const std::uint8_t>(data).subspan(start, i - start)));
        start = i + 2;
    }
    return out;
}

std::optional<std::uint32_t> RegistryValue::dword() const {
    if (data.size() != 4) return std::nullopt;
    if (type == value_type::dword)
        return static_cast<std::uint32_t>(data[0] | (data[1] << 8) | (data[2] << 16)) |
               (static_cast<std::uint32_t>(data[3]) << 24);
    if (type == value_type::dword_big_endian)
        return static_cast<std::uint32_t>(data[3] | (data[2] << 8) | (data[1] << 16)) |
               (static_cast<std::uint32_t>(data[0]) << 24);
    return std::nullopt;
}

const RegistryValue* RegistryKey::value(std::string_view name) const {
    for (const auto& v : values)
        if (iequals(v.name, name)) return &v;
    return nullptr;
}

std::string_view RegistryKey::leaf() const {
    const auto slash = path.rfind('\\');
    return slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
}

std::string_view RegistryKey::parent_path() const {
    const auto slash = path.rfind('\\');
    return slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
}

RegistryKey& RegistryTree::open(std::string_view path, const SourceLocation& where) {
    const std::string canonical = normalise_key_path(path);
    auto [it, created] = keys_.try_emplace(ascii_lower(canonical));
    if (created) {
        it->second.order = next_order_++;
        it->second.key.path = canonical;
        it->second.key.where = where;
    }
    return it->second.key;
}

void RegistryTree::set(RegistryKey& key, RegistryValue value) {
    for (auto& v : key.values)
        if (iequals(v.name, value.name)) {
            v = std::move(value);
            return;
        }
    key.values.push_back(std::move(value));
}

bool RegistryTree::remove_key(std::string_view path) {
    const std::string lower = ascii_lower(normalise_key_path(path));
    const std::string prefix = lower + "\\";
    bool removed = false;
    for (auto it = keys_.begin(); it != keys_.end();) {
        if (it->first == lower || it->first.starts_with(prefix)) {
            it = keys_.erase(it);
            removed = true;
        } else {
            ++it;
        }
    }
    return removed;
}

bool RegistryTree::remove_value(std::string_view path, std::string_view name) {
    const auto it = keys_.find(ascii_lower(normalise_key_path(path)));
    if (it == keys_.end()) return false;
    auto& values = it->second.key.values;
    const auto v = std::find_if(values.begin(), values.end(), [&](const auto& x) { return iequals(x.name, name); });
    if (v == values.end()) return false;
    values.erase(v);
    return true;
}

const RegistryKey* RegistryTree::find(std::string_view path) const {
    const auto it = keys_.find(ascii_lower(normalise_key_path(path)));
    return it == keys_.end() ? nullptr : &it->second.key;
}

std::vector<const RegistryKey*> RegistryTree::keys() const {
    std::vector<const Entry*> entries;
    entries.reserve(keys_.size());
    for (const auto& [path, entry] : keys_) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) { return a->order < b->order; });
    std::vector<const RegistryKey*> out;
    out.reserve(entries.size());
    for (const auto* e : entries) out.push_back(&e->key);
    return out;
}

std::string normalise_key_path(std::string_view path) {
    std::string out;
    bool first = true;
    while (!path.empty()) {
        const auto slash = path.find('\\');
        std::string_view part = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
        if (part.empty()) continue;
        if (first)
            for (const auto& [abbreviation, full] : roots)
                if (iequals(part, abbreviation) || iequals(part, full)) part = full;
        if (!first) out.push_back('\\');
        out.append(part);
        first = false;
    }
    return out;
}

bool has_predefined_root(std::string_view path) {
    const auto root = path.substr(0, path.find('\\'));
    return std::any_of(roots.begin(), roots.end(), [&](const auto& r) { return root == r.second; });
}

}  // namespace winipsec::registry
