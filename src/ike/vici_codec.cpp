#include "ike/vici_codec.hpp"

#include <fmt/format.h>

namespace winipsec::ike {
namespace {

// ---- encoding ----

class Encoder {
public:
    explicit Encoder(ViciBytes& out) : out_(out) {}

    std::expected<void, ViciError> section(const ViciSection& entries, const std::string& path) {
        for (const auto& entry : entries.entries()) {
            std::string here = path.empty() ? entry.name : path + "." + entry.name;
            switch (entry.kind) {
                case ViciEntry::Kind::Value:
                    if (auto ok = name(ViciElement::KeyValue, entry.name, here); !ok) return ok;
                    if (auto ok = value(entry.value, here); !ok) return ok;
                    break;
                case ViciEntry::Kind::List:
                    if (auto ok = name(ViciElement::ListStart, entry.name, here); !ok) return ok;
                    for (const auto& item : entry.items) {
                        out_.push_back(static_cast<std::uint8_t>(ViciElement::ListItem));
                        if (auto ok = value(item, here + "[]"); !ok) return ok;
                    }
                    out_.push_back(static_cast<std::uint8_t>(ViciElement::ListEnd));
                    break;
                case ViciEntry::Kind::Section:
                    if (auto ok = name(ViciElement::SectionStart, entry.name, here); !ok) return ok;
                    if (auto ok = section(entry.section, here); !ok) return ok;
                    out_.push_back(static_cast<std::uint8_t>(ViciElement::SectionEnd));
                    break;
            }
        }
        return {};
    }

private:
    std::expected<void, ViciError> name(ViciElement type, const std::string& text, const std::string& path) {
        if (text.size() > vici_name_max)
            return std::unexpected(ViciError::make(
                ViciError::Kind::TooLarge,
                fmt::format("VICI name '{}' is {} bytes; names are limited to {}", path, text.size(), vici_name_max)));
        out_.push_back(static_cast<std::uint8_t>(type));
        out_.push_back(static_cast<std::uint8_t>(text.size()));
        out_.insert(out_.end(), text.begin(), text.end());
        return {};
    }

    std::expected<void, ViciError> value(const std::string& bytes, const std::string& path) {
        // The value itself is never quoted: it may be a pre-shared key.
        if (bytes.size() > vici_value_max)
            return std::unexpected(ViciError::make(
                ViciError::Kind::TooLarge, fmt::format("VICI value of '{}' is {} bytes; values are limited to {}", path,
                                                       bytes.size(), vici_value_max)));
        out_.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
        out_.push_back(static_cast<std::uint8_t>(bytes.size() & 0xff));
        out_.insert(out_.end(), bytes.begin(), bytes.end());
        return {};
    }

    ViciBytes& out_;
};

// ---- decoding ----

class Decoder {
public:
    Decoder(std::span<const std::uint8_t> bytes, ViciDecodeLimits limits) : bytes_(bytes), limits_(limits) {}

    // Reads entries into `into` until the matching SECTION_END (depth > 0) or
    // the end of the bytes (the root, depth 0).
    std::expected<void, ViciDecodeError> entries(ViciSection& into, std::size_t depth) {
        while (true) {
            if (at_end()) {
                if (depth == 0) return {};
                return fail(pos_, fmt::format("message ends inside a section ({} left open)", depth));
            }
            std::size_t start = pos_;
            std::uint8_t type = bytes_[pos_++];
            switch (static_cast<ViciElement>(type)) {
                case ViciElement::SectionStart: {
                    auto name = read_name(start);
                    if (!name) return std::unexpected(name.error());
                    if (depth + 1 > limits_.max_depth)
                        return fail(start, fmt::format("sections nested deeper than {}", limits_.max_depth));
                    ViciEntry entry;
                    entry.kind = ViciEntry::Kind::Section;
                    entry.name = std::move(*name);
                    if (auto ok = entries(entry.section, depth + 1); !ok) return ok;
                    into.append(std::move(entry));
                    break;
                }
                case ViciElement::SectionEnd:
                    if (depth == 0) return fail(start, "section end without an open section");
                    return {};
                case ViciElement::KeyValue: {
                    auto name = read_name(start);
                    if (!name) return std::unexpected(name.error());
                    auto value = read_value(start);
                    if (!value) return std::unexpected(value.error());
                    ViciEntry entry;
                    entry.kind = ViciEntry::Kind::Value;
                    entry.name = std::move(*name);
                    entry.value = std::move(*value);
                    into.append(std::move(entry));
                    break;
                }
                case ViciElement::ListStart: {
                    auto list = read_list(start);
                    if (!list) return std::unexpected(list.error());
                    into.append(std::move(*list));
                    break;
                }
                case ViciElement::ListItem: return fail(start, "list item outside a list");
                case ViciElement::ListEnd: return fail(start, "list end without an open list");
                default: return fail(start, fmt::format("unknown element type {}", type));
            }
        }
    }

private:
    bool at_end() const { return pos_ >= bytes_.size(); }

    std::unexpected<ViciDecodeError> fail(std::size_t offset, std::string reason) const {
        return std::unexpected(ViciDecodeError{offset, std::move(reason)});
    }

    std::expected<std::string, ViciDecodeError> read_bytes(std::size_t length, std::size_t element, const char* what) {
        if (length > bytes_.size() - pos_)
            return fail(element,
                        fmt::format("{} of {} bytes runs past the end ({} left)", what, length, bytes_.size() - pos_));
        std::string text(reinterpret_cast<const char*>(bytes_.data() + pos_), length);
        pos_ += length;
        return text;
    }

    std::expected<std::string, ViciDecodeError> read_name(std::size_t element) {
        if (at_end()) return fail(element, "name length missing");
        std::size_t length = bytes_[pos_++];
        return read_bytes(length, element, "name");
    }

    std::expected<std::string, ViciDecodeError> read_value(std::size_t element) {
        if (bytes_.size() - pos_ < 2) return fail(element, "value length missing");
        std::size_t length = (std::size_t{bytes_[pos_]} << 8) | bytes_[pos_ + 1];
        pos_ += 2;
        return read_bytes(length, element, "value");
    }

    std::expected<ViciEntry, ViciDecodeError> read_list(std::size_t start) {
        auto name = read_name(start);
        if (!name) return std::unexpected(name.error());
        ViciEntry entry;
        entry.kind = ViciEntry::Kind::List;
        entry.name = std::move(*name);
        while (true) {
            if (at_end()) return fail(start, fmt::format("list '{}' is not closed", entry.name));
            std::size_t element = pos_;
            std::uint8_t type = bytes_[pos_++];
            if (type == static_cast<std::uint8_t>(ViciElement::ListEnd)) return entry;
            if (type != static_cast<std::uint8_t>(ViciElement::ListItem))
                return fail(element,
                            fmt::format("element type {} inside list '{}' (lists hold only items)", type, entry.name));
            auto item = read_value(element);
            if (!item) return std::unexpected(item.error());
            entry.items.push_back(std::move(*item));
        }
    }

    std::span<const std::uint8_t> bytes_;
    ViciDecodeLimits limits_;
    std::size_t pos_ = 0;
};

}  // namespace

std::expected<void, ViciError> encode_message(const ViciMessage& message, ViciBytes& out) {
    std::size_t size_before = out.size();
    auto ok = Encoder(out).section(message, "");
    if (!ok) out.resize(size_before);
    return ok;
}

std::expected<ViciBytes, ViciError> encode_message(const ViciMessage& message) {
    ViciBytes out;
    if (auto ok = encode_message(message, out); !ok) return std::unexpected(ok.error());
    return out;
}

std::string ViciDecodeError::describe() const {
    return fmt::format("at byte {}: {}", offset, reason);
}

std::expected<ViciMessage, ViciDecodeError> decode_message(std::span<const std::uint8_t> bytes,
                                                           ViciDecodeLimits limits) {
    ViciMessage message;
    if (auto ok = Decoder(bytes, limits).entries(message, 0); !ok) return std::unexpected(ok.error());
    return message;
}

}  // namespace winipsec::ike
