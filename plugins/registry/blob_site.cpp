#include "plugins/registry/blob_site.hpp"

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"

namespace winipsec::registry {

void BlobSite::not_understood(std::size_t offset, const std::string& what) const {
    diagnostics.warning(code::not_understood, at(offset),
                        fmt::format("{} {} byte offset {}: {}", object(), value.name, offset, what));
}

void BlobSite::unsupported(std::size_t offset, const std::string& what) const {
    diagnostics.error(code::unsupported_value, at(offset),
                      fmt::format("{} {} byte offset {}: {}", object(), value.name, offset, what));
}

void BlobSite::report(const std::vector<BlobFinding>& findings) const {
    for (const auto& f : findings) not_understood(f.offset, f.message);
}

}  // namespace winipsec::registry
