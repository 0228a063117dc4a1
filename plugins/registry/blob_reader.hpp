#pragma once
// Bounds-checked reading of ipsecData blobs (spec windows-ipsec.md §3). Every
// read names the field it wants; the first read past the end stops the reader
// and records where and what, so a decoder can run straight through a record
// and ask once whether it all fitted. Nothing reads outside the span given.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace winipsec::registry {

// A GUID in Windows byte order (Data1..Data3 little-endian, Data4 as is).
struct Guid {
    std::array<std::uint8_t, 16> bytes{};

    // "{80DC20B5-2EC8-11D1-A89E-00A0248D3021}"
    std::string to_string() const;
    // With or without braces, any case; nullopt when malformed.
    static std::optional<Guid> parse(std::string_view text);
    bool operator==(const Guid&) const = default;
};

// Why a blob could not be decoded, at which byte of the blob.
struct BlobError {
    std::size_t offset = 0;
    std::string message;
};

// Something present in a blob that the decoder read but does not understand;
// the blob is still usable.
struct BlobFinding {
    std::size_t offset = 0;
    std::string message;
};

class BlobReader {
public:
    // `base`: the offset of bytes[0] within the whole blob, for messages.
    explicit BlobReader(std::span<const std::uint8_t> bytes, std::size_t base = 0) : bytes_(bytes), base_(base) {}

    std::uint8_t u8(std::string_view field);
    std::uint16_t u16(std::string_view field);
    std::uint32_t u32(std::string_view field);
    Guid guid(std::string_view field);
    std::array<std::uint8_t, 4> ipv4(std::string_view field);
    std::span<const std::uint8_t> bytes(std::size_t count, std::string_view field);
    // A UTF-16LE string of `byte_length` bytes (its terminating NUL included
    // or not); an odd length is an error. Returns UTF-8 without trailing NULs.
    std::string utf16(std::size_t byte_length, std::string_view field);
    void skip(std::size_t count, std::string_view field) { (void)bytes(count, field); }
    // Stops the reader with `message` at the current offset (or `at`).
    void fail(std::string message);
    void fail_at(std::size_t absolute_offset, std::string message);

    bool ok() const { return !error_; }
    const BlobError& error() const { return *error_; }
    std::size_t offset() const { return base_ + pos_; }  // within the whole blob
    std::size_t remaining() const { return ok() ? bytes_.size() - pos_ : 0; }
    std::span<const std::uint8_t> rest() const { return ok() ? bytes_.subspan(pos_) : std::span<const std::uint8_t>(); }

private:
    bool take(std::size_t count, std::string_view field);

    std::span<const std::uint8_t> bytes_;
    std::size_t base_ = 0;
    std::size_t pos_ = 0;
    std::optional<BlobError> error_;
};

// The envelope every ipsecData blob has (§3.1): class GUID, u32 DataLength,
// DataLength bytes of data, then a 0x00 trailer (or, for rules, Vista+
// extension sections).
struct BlobEnvelope {
    Guid class_id;
    std::uint32_t data_length = 0;
    std::span<const std::uint8_t> data;  // starts at blob offset 20
    std::span<const std::uint8_t> tail;  // after the data
};

inline constexpr std::size_t envelope_size = 20;

// Fails when the blob is shorter than its header, is of another class, or
// its DataLength runs past its end.
std::optional<BlobError> read_envelope(std::span<const std::uint8_t> blob, const Guid& expected_class,
                                       std::string_view class_name, BlobEnvelope& out);

// A tail that is more than the one trailer byte becomes a finding.
void check_trailer(std::span<const std::uint8_t> tail, std::size_t offset, std::vector<BlobFinding>& findings);

// The class GUIDs of §3.1.
namespace class_guid {
extern const Guid policy;
extern const Guid isakmp;
extern const Guid nfa;
extern const Guid negotiation;
extern const Guid filter;
extern const Guid filter_v2;
}  // namespace class_guid

}  // namespace winipsec::registry
