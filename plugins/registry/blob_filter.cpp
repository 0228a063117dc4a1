#include "plugins/registry/blob_filter.hpp"

#include <fmt/format.h>

// V1 (§3.3): u32 Count, then Count records: three u32-length-prefixed UTF-16
// strings (source DNS name, destination DNS name, description), the filter
// GUID, u32 Mirrored, five 4-byte IPv4 fields (source, mask, destination,
// mask, tunnel), u32 protocol, u16 source port, u16 destination port, u8
// IsTunnel, u8 special-server flag, u16 options.
//
// DataLength comes in two forms in real data. Windows 2000 (the VPNease
// vector, §3.7) counts Count and the records and adds a 0x00 trailer; the
// Windows 10 stores of corpus #39-#41 count the records only and add no
// trailer. Both are accepted; records that run further than that are an error.
//
// V2 (Vista+, [V] in [MS-GPIPSEC], [U] offset): the GUID {35FECD3D-...},
// u32 DataLength2, u32 Count11, u32 Count2, then Count2 records (three
// strings, GUID, u32 mirror flags, two 40-byte address blocks, two 8-byte
// port blocks, u32 protocol, u32 flags). Looked for right after the V1
// records and one byte later.
namespace winipsec::registry {
namespace {

FilterRecord read_record(BlobReader& r) {
    FilterRecord f;
    f.offset = r.offset();
    f.source_dns = r.utf16(r.u32("the source DNS name length"), "the source DNS name");
    f.destination_dns = r.utf16(r.u32("the destination DNS name length"), "the destination DNS name");
    f.description = r.utf16(r.u32("the description length"), "the description");
    f.id = r.guid("the filter GUID");
    f.fixed_offset = r.offset();
    f.mirrored = r.u32("Mirrored");
    f.source = r.ipv4("the source address");
    f.source_mask = r.ipv4("the source mask");
    f.destination = r.ipv4("the destination address");
    f.destination_mask = r.ipv4("the destination mask");
    f.tunnel = r.ipv4("the tunnel address");
    f.protocol = r.u32("the protocol");
    f.source_port = r.u16("the source port");
    f.destination_port = r.u16("the destination port");
    f.is_tunnel = r.u8("IsTunnel");
    f.special = r.u8("the special-server flag");
    f.options = r.u16("the filter options");
    return f;
}

AddressV2 read_address_v2(BlobReader& r, std::string_view which) {
    AddressV2 a;
    a.type = r.u32(which);
    a.version = r.u32("the IP version");
    const auto address = r.bytes(16, "the address");
    const auto secondary = r.bytes(16, "the secondary address");
    if (r.ok()) {
        std::copy(address.begin(), address.end(), a.address.begin());
        std::copy(secondary.begin(), secondary.end(), a.secondary.begin());
    }
    return a;
}

PortV2 read_port_v2(BlobReader& r, std::string_view which) {
    PortV2 p;
    p.type = r.u32(which);
    p.port = r.u16("the port");
    p.range_end = r.u16("the port range end");
    return p;
}

void read_v2_section(BlobReader& r, FilterListBlob& out) {
    out.v2_offset = r.offset();
    r.skip(16, "the V2 section GUID");
    const std::size_t length_offset = r.offset();
    const std::uint32_t length = r.u32("DataLength2");
    if (r.ok() && length > r.remaining() + 4)
        r.fail_at(length_offset, fmt::format("DataLength2 {} runs past the end of the blob", length));
    r.skip(4, "Count11");
    const std::size_t count_offset = r.offset();
    const std::uint32_t count = r.u32("Count2");
    // a record takes at least 3 x 4 + 16 + 4 + 2 x 40 + 2 x 8 + 8 bytes
    constexpr std::size_t min_record = 136;
    if (r.ok() && count > r.remaining() / min_record)
        r.fail_at(count_offset, fmt::format("Count2 {} needs at least {} bytes, {} remain", count,
                                            std::uint64_t{count} * min_record, r.remaining()));
    for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
        FilterRecordV2 f;
        f.offset = r.offset();
        (void)r.utf16(r.u32("the source DNS name length"), "the source DNS name");
        (void)r.utf16(r.u32("the destination DNS name length"), "the destination DNS name");
        f.description = r.utf16(r.u32("the description length"), "the description");
        f.id = r.guid("the filter GUID");
        f.mirror_flags = r.u32("the mirror flags");
        f.source = read_address_v2(r, "the source address type");
        f.destination = read_address_v2(r, "the destination address type");
        f.source_port = read_port_v2(r, "the source port type");
        f.destination_port = read_port_v2(r, "the destination port type");
        f.protocol = r.u32("the protocol");
        f.flags = r.u32("the V2 flags");
        if (r.ok()) out.v2_filters.push_back(f);
    }
    out.has_v2 = r.ok();
}

bool v2_guid_at(std::span<const std::uint8_t> bytes, std::size_t at) {
    if (bytes.size() < at + 16) return false;
    return std::equal(class_guid::filter_v2.bytes.begin(), class_guid::filter_v2.bytes.end(), bytes.begin() + at);
}

}  // namespace

std::expected<FilterListBlob, BlobError> decode_filter_blob(std::span<const std::uint8_t> blob) {
    BlobEnvelope envelope;
    if (auto error = read_envelope(blob, class_guid::filter, "ipsecFilter", envelope)) return std::unexpected(*error);
    // Read up to the end of the blob, not of DataLength: see the two forms above.
    BlobReader r(blob.subspan(envelope_size), envelope_size);
    FilterListBlob out;
    const std::uint32_t count = r.u32("Count");
    // a record takes at least 3 x 4 + 16 + 36 bytes
    constexpr std::size_t min_record = 64;
    if (r.ok() && count > r.remaining() / min_record)
        r.fail_at(envelope_size, fmt::format("Count {} needs at least {} bytes of filters, {} remain", count,
                                             std::uint64_t{count} * min_record, r.remaining()));
    for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
        auto record = read_record(r);
        if (r.ok()) out.filters.push_back(std::move(record));
    }
    if (!r.ok()) return std::unexpected(r.error());

    const std::size_t used = r.offset() - envelope_size;
    const std::size_t length = envelope.data_length;
    if (used > length && used != length + 4)
        return std::unexpected(BlobError{16, fmt::format("byte offset 16: the {} filter{} end at byte {}, past "
                                                         "DataLength {}; the count or the length is wrong",
                                                         count, count == 1 ? "" : "s", r.offset(), length)});
    const auto rest = r.rest();
    const std::size_t probe = v2_guid_at(rest, 0) ? 0 : (v2_guid_at(rest, 1) ? 1 : rest.size());
    if (probe < rest.size()) {
        BlobReader v2(rest.subspan(probe), r.offset() + probe);
        read_v2_section(v2, out);
        if (!v2.ok())
            out.findings.push_back({v2.error().offset, fmt::format("the Vista+ V2 filter section cannot be read ({}); "
                                                                   "the V1 filters are used",
                                                                   v2.error().message)});
        else if (v2.remaining() > 1)
            out.findings.push_back(
                {v2.offset(), fmt::format("{} bytes after the V2 filter section; not read", v2.remaining())});
        return out;
    }
    if (used < length)
        out.findings.push_back({r.offset(), fmt::format("{} byte{} after the last filter inside DataLength; not read",
                                                        length - used, length - used == 1 ? "" : "s")});
    else
        check_trailer(rest, r.offset(), out.findings);
    return out;
}

}  // namespace winipsec::registry
