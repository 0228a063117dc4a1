#include "plugins/registry/blob_reader.hpp"

#include <fmt/format.h>

#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry {
namespace {

std::optional<unsigned> hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return std::nullopt;
}

Guid must_parse(std::string_view text) {
    return *Guid::parse(text);
}

}  // namespace

namespace class_guid {
const Guid policy = must_parse("{22202163-4F4C-11D1-863B-00A0248D3021}");
const Guid isakmp = must_parse("{80DC20B8-2EC8-11D1-A89E-00A0248D3021}");
const Guid nfa = must_parse("{11BBAC00-498D-11D1-8639-00A0248D3021}");
const Guid negotiation = must_parse("{80DC20B9-2EC8-11D1-A89E-00A0248D3021}");
const Guid filter = must_parse("{80DC20B5-2EC8-11D1-A89E-00A0248D3021}");
const Guid filter_v2 = must_parse("{35FECD3D-AE29-4373-8A6A-C5D8FAB2FB08}");
}  // namespace class_guid

std::string Guid::to_string() const {
    const auto& b = bytes;
    return fmt::format(
        "{{{:02X}{:02X}{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
        b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

std::optional<Guid> Guid::parse(std::string_view text) {
    if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return std::nullopt;
    std::array<std::uint8_t, 16> in_order{};  // as written: Data1 Data2 Data3 Data4
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) continue;
        const auto hi = hex_digit(text[i]), lo = i + 1 < text.size() ? hex_digit(text[i + 1]) : std::nullopt;
        if (!hi || !lo) return std::nullopt;
        in_order[n++] = static_cast<std::uint8_t>((*hi << 4) | *lo);
        ++i;
    }
    Guid g;
    static constexpr std::array<std::size_t, 16> windows_order = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (std::size_t i = 0; i < 16; ++i) g.bytes[i] = in_order[windows_order[i]];
    return g;
}

bool BlobReader::take(std::size_t count, std::string_view field) {
    if (error_) return false;
    if (count > bytes_.size() - pos_) {
        error_ = BlobError{offset(), fmt::format("truncated at byte offset {}: {} needs {} byte{}, {} remain{}",
                                                 offset(), field, count, count == 1 ? "" : "s", bytes_.size() - pos_,
                                                 bytes_.size() - pos_ == 1 ? "s" : "")};
        return false;
    }
    return true;
}

std::uint8_t BlobReader::u8(std::string_view field) {
    if (!take(1, field)) return 0;
    return bytes_[pos_++];
}

std::uint16_t BlobReader::u16(std::string_view field) {
    if (!take(2, field)) return 0;
    const auto v = static_cast<std::uint16_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
}

std::uint32_t BlobReader::u32(std::string_view field) {
    if (!take(4, field)) return 0;
    const std::uint32_t v =
        static_cast<std::uint32_t>(bytes_[pos_] | (bytes_[pos_ + 1] << 8) | (bytes_[pos_ + 2] << 16)) |
        (static_cast<std::uint32_t>(bytes_[pos_ + 3]) << 24);
    pos_ += 4;
    return v;
}

Guid BlobReader::guid(std::string_view field) {
    Guid g;
    const auto b = bytes(16, field);
    if (b.size() == 16) std::copy(b.begin(), b.end(), g.bytes.begin());
    return g;
}

std::array<std::uint8_t, 4> BlobReader::ipv4(std::string_view field) {
    std::array<std::uint8_t, 4> a{};
    const auto b = bytes(4, field);
    if (b.size() == 4) std::copy(b.begin(), b.end(), a.begin());
    return a;
}

std::span<const std::uint8_t> BlobReader::bytes(std::size_t count, std::string_view field) {
    if (!take(count, field)) return {};
    const auto out = bytes_.subspan(pos_, count);
    pos_ += count;
    return out;
}

std::string BlobReader::utf16(std::size_t byte_length, std::string_view field) {
    if (!ok()) return {};
    if (byte_length % 2 != 0) {
        fail(fmt::format("{} has the odd byte length {}; UTF-16 text comes in pairs of bytes", field, byte_length));
        return {};
    }
    auto text = utf16le_to_utf8(bytes(byte_length, field));
    while (!text.empty() && text.back() == '\0') text.pop_back();
    return text;
}

void BlobReader::fail(std::string message) {
    fail_at(offset(), std::move(message));
}

void BlobReader::fail_at(std::size_t absolute_offset, std::string message) {
    if (!error_) error_ = BlobError{absolute_offset, fmt::format("byte offset {}: {}", absolute_offset, message)};
}

std::optional<BlobError> read_envelope(std::span<const std::uint8_t> blob, const Guid& expected_class,
                                       std::string_view class_name, BlobEnvelope& out) {
    BlobReader r(blob);
    out.class_id = r.guid("the class GUID");
    out.data_length = r.u32("DataLength");
    if (!r.ok()) return r.error();
    if (out.class_id != expected_class)
        return BlobError{0, fmt::format("byte offset 0: class GUID {} is not the {} class {}", out.class_id.to_string(),
                                        class_name, expected_class.to_string())};
    if (out.data_length > r.remaining())
        return BlobError{16, fmt::format("byte offset 16: DataLength {} runs past the end of the blob ({} byte{} "
                                         "follow the header)",
                                         out.data_length, r.remaining(), r.remaining() == 1 ? "" : "s")};
    out.data = blob.subspan(envelope_size, out.data_length);
    out.tail = blob.subspan(envelope_size + out.data_length);
    return std::nullopt;
}

void check_trailer(std::span<const std::uint8_t> tail, std::size_t offset, std::vector<BlobFinding>& findings) {
    if (tail.empty() || (tail.size() == 1 && tail[0] == 0)) return;
    findings.push_back({offset, fmt::format("{} byte{} after the counted data where one 0x00 trailer byte was "
                                            "expected; not read",
                                            tail.size(), tail.size() == 1 ? "" : "s")});
}

}  // namespace winipsec::registry
