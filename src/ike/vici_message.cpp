#include "ike/vici_message.hpp"

#include <charconv>
#include <stdexcept>

namespace winipsec::ike {

void ViciSection::require_new_name(std::string_view name) const {
    if (find(name)) throw std::logic_error("VICI section already has an entry named '" + std::string(name) + "'");
}

ViciSection& ViciSection::add(std::string name, std::string value) {
    require_new_name(name);
    ViciEntry entry;
    entry.kind = ViciEntry::Kind::Value;
    entry.name = std::move(name);
    entry.value = std::move(value);
    entries_.push_back(std::move(entry));
    return *this;
}

ViciSection& ViciSection::add_list(std::string name, std::vector<std::string> items) {
    require_new_name(name);
    ViciEntry entry;
    entry.kind = ViciEntry::Kind::List;
    entry.name = std::move(name);
    entry.items = std::move(items);
    entries_.push_back(std::move(entry));
    return *this;
}

ViciSection& ViciSection::add_section(std::string name) {
    require_new_name(name);
    ViciEntry entry;
    entry.kind = ViciEntry::Kind::Section;
    entry.name = std::move(name);
    entries_.push_back(std::move(entry));
    return entries_.back().section;
}

ViciSection& ViciSection::add_section(std::string name, ViciSection section) {
    add_section(std::move(name)) = std::move(section);
    return *this;
}

void ViciSection::append(ViciEntry entry) {
    entries_.push_back(std::move(entry));
}

const ViciEntry* ViciSection::find(std::string_view name) const {
    for (const auto& entry : entries_)
        if (entry.name == name) return &entry;
    return nullptr;
}

const std::string* ViciSection::value(std::string_view name) const {
    for (const auto& entry : entries_)
        if (entry.name == name && entry.kind == ViciEntry::Kind::Value) return &entry.value;
    return nullptr;
}

std::optional<std::int64_t> ViciSection::number(std::string_view name) const {
    const std::string* text = value(name);
    if (!text || text->empty()) return std::nullopt;
    std::int64_t result = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, result);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return result;
}

std::optional<bool> ViciSection::flag(std::string_view name) const {
    const std::string* text = value(name);
    if (!text) return std::nullopt;
    if (*text == "yes") return true;
    if (*text == "no") return false;
    return std::nullopt;
}

const std::vector<std::string>* ViciSection::list(std::string_view name) const {
    for (const auto& entry : entries_)
        if (entry.name == name && entry.kind == ViciEntry::Kind::List) return &entry.items;
    return nullptr;
}

const ViciSection* ViciSection::section(std::string_view name) const {
    for (const auto& entry : entries_)
        if (entry.name == name && entry.kind == ViciEntry::Kind::Section) return &entry.section;
    return nullptr;
}

bool ViciSection::contains(std::string_view name) const {
    return find(name) != nullptr;
}

bool ViciSection::operator==(const ViciSection& other) const {
    return entries_ == other.entries_;
}

}  // namespace winipsec::ike
