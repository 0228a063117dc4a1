#pragma once
// Input decoding shared by every format: bytes in whatever Windows wrote
// (UTF-8 with or without BOM, UTF-16LE/BE with BOM, legacy code pages such as
// GBK/CP936) become UTF-8 text with LF line ends.
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "import/error.hpp"

namespace winipsec {

struct DecodedText {
    std::shared_ptr<const std::string> path;  // as given on the command line
    std::string utf8;                         // LF line ends; no BOM
    std::string encoding;                     // what was used: "UTF-8", "UTF-16LE", "GBK", ...
    std::string raw_bytes;                    // the undecoded file, for binary formats (regf hives)
};

// Detection order: BOM; otherwise valid UTF-8; otherwise UTF-16 without BOM
// when NUL bytes show it; otherwise GBK (CP936), the legacy code page seen in
// the real-world corpus. `forced_encoding` (any iconv name) skips detection.
std::expected<DecodedText, Error> decode_bytes(std::string_view bytes, std::string path,
                                               const std::optional<std::string>& forced_encoding = std::nullopt);
std::expected<DecodedText, Error> read_and_decode(const std::string& path,
                                                  const std::optional<std::string>& forced_encoding = std::nullopt);

}  // namespace winipsec
