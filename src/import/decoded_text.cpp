#include "import/decoded_text.hpp"

#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace winipsec {
namespace {

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Scripts are mostly ASCII: step over it eight bytes at a time.
        while (i + 8 <= s.size()) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if (word & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        if (c < 0x80)
            extra = 0;
        else if ((c & 0xE0) == 0xC0 && c >= 0xC2)
            extra = 1;
        else if ((c & 0xF0) == 0xE0)
            extra = 2;
        else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
            extra = 3;
        else
            return false;
        if (extra > 0 && i + static_cast<std::size_t>(extra) >= s.size()) return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

std::expected<std::string, Error> convert(std::string_view bytes, const std::string& from) {
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1))
        return std::unexpected(Error::usage(
            fmt::format("unknown encoding '{}' (any iconv name works, e.g. GBK, CP1252, UTF-16LE)", from)));
    std::string out(bytes.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    const int err = errno;
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) {
        const auto offset = static_cast<std::size_t>(in_ptr - bytes.data());
        return std::unexpected(Error::input(
            fmt::format("byte offset {}: not valid {} ({}); try --encoding", offset, from, std::strerror(err))));
    }
    out.resize(out.size() - out_left);
    return out;
}

std::string normalise_line_ends(std::string s) {
    if (s.find('\r') == std::string::npos) return s;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n') continue;
            out.push_back('\n');  // a lone CR ends a line too (old Mac-style files)
            continue;
        }
        out.push_back(s[i]);
    }
    return out;
}

bool looks_like_utf16(std::string_view b, bool& little_endian) {
    if (b.size() < 4) return false;
    std::size_t even_nul = 0, odd_nul = 0;
    const std::size_t n = std::min<std::size_t>(b.size(), 4096);
    for (std::size_t i = 0; i < n; ++i)
        if (b[i] == '\0') (i % 2 ? odd_nul : even_nul)++;
    little_endian = odd_nul > even_nul;
    return std::max(even_nul, odd_nul) > n / 4;
}

bool is_ipsec_export(std::string_view path) {
    if (path.size() < 6) return false;
    std::string ext(path.substr(path.size() - 6));
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".ipsec";
}

// `bytes` becomes raw_bytes without a copy (a script can be megabytes).
std::expected<DecodedText, Error> decode_owned(std::string bytes_owned, std::string path,
                                               const std::optional<std::string>& forced) {
    DecodedText out;
    out.path = std::make_shared<const std::string>(std::move(path));
    out.raw_bytes = std::move(bytes_owned);
    const std::string_view bytes = out.raw_bytes;

    // Registry exports can be binary (spec §7.4): a regf hive, or an .ipsec
    // file of unknown layout. They carry no text; the registry importer reads
    // raw_bytes and explains what it cannot read.
    if (!forced && bytes.starts_with("regf")) {
        out.encoding = "binary";
        return out;
    }

    std::string_view body = bytes;
    std::string encoding;
    bool validated = false;  // body already checked as UTF-8
    if (forced) {
        encoding = *forced;
        if ((encoding == "UTF-8" || encoding == "utf-8" || encoding == "utf8") && body.starts_with("\xEF\xBB\xBF"))
            body.remove_prefix(3);
    } else if (body.starts_with("\xEF\xBB\xBF")) {
        encoding = "UTF-8";
        body.remove_prefix(3);
    } else if (body.starts_with("\xFF\xFE")) {
        encoding = "UTF-16LE";
        body.remove_prefix(2);
    } else if (body.starts_with("\xFE\xFF")) {
        encoding = "UTF-16BE";
        body.remove_prefix(2);
    } else if (bool le = true; looks_like_utf16(body, le)) {
        encoding = le ? "UTF-16LE" : "UTF-16BE";
    } else if (valid_utf8(body)) {
        encoding = "UTF-8";
        validated = true;
    } else {
        // Real scripts from Chinese Windows are CP936; GBK is its iconv name.
        // CP949 must not be guessed for these (corpus/NOTES.md, sample 12).
        encoding = "GBK";
    }

    if (encoding == "UTF-8") {
        if (!validated && !valid_utf8(body))
            return std::unexpected(Error::input(fmt::format("{}: not valid UTF-8; try --encoding GBK", *out.path)));
        out.utf8 = std::string(body);
    } else {
        auto converted = convert(body, encoding);
        if (!converted && !forced && is_ipsec_export(*out.path) && bytes.find('\0') != std::string_view::npos) {
            out.encoding = "binary";
            return out;
        }
        if (!converted) {
            Error e = converted.error();
            if (e.kind == Error::Kind::Input) e.message = fmt::format("{}: {}", *out.path, e.message);
            return std::unexpected(e);
        }
        out.utf8 = std::move(*converted);
        // A BOM may survive a forced UTF-16 conversion.
        if (out.utf8.starts_with("\xEF\xBB\xBF")) out.utf8.erase(0, 3);
    }
    out.utf8 = normalise_line_ends(std::move(out.utf8));
    out.encoding = encoding;
    return out;
}

}  // namespace

std::expected<DecodedText, Error> decode_bytes(std::string_view bytes, std::string path,
                                               const std::optional<std::string>& forced) {
    return decode_owned(std::string(bytes), std::move(path), forced);
}

std::expected<DecodedText, Error> read_and_decode(const std::string& path, const std::optional<std::string>& forced) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::unexpected(Error::system(fmt::format("{}: cannot open: {}", path, std::strerror(errno))));
    // Read in blocks, not through istreambuf_iterator's byte at a time.
    std::string bytes;
    if (in.seekg(0, std::ios::end); in) {
        // (a directory reports a size near 2^63: no reserve then; reading it fails below)
        if (const auto size = in.tellg(); size > 0 && size < (std::streamoff{1} << 32))
            bytes.reserve(static_cast<std::size_t>(size));
        in.seekg(0);
    }
    in.clear();  // a pipe cannot seek; read it from where it is
    char block[1 << 16];
    while (in.read(block, sizeof block) || in.gcount() > 0) bytes.append(block, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return std::unexpected(Error::system(fmt::format("{}: read error", path)));
    return decode_owned(std::move(bytes), path, forced);
}

}  // namespace winipsec
