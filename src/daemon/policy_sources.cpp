#include "daemon/policy_sources.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "import/format_table.hpp"
#include "import/store_checks.hpp"

namespace winipsec::daemon {

namespace {

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// Imports one decoded source into `store` and keeps only the policy of the
// source's kind (and marks domain policy as such).
std::expected<const Importer*, Error> import_source(const PolicySource& source, const DecodedText& text, PolicyStore& store,
                                         Diagnostics& diagnostics) {
    const FormatEntry* entry = source.format == "auto" ? detect_format(text) : find_format(source.format);
    if (!entry)
        return std::unexpected(
            Error::input(source.format == "auto"
                             ? fmt::format("{}: no known format recognises this file; name one with 'format' ({})",
                                           source.path, source.where)
                             : fmt::format("{}: unknown format '{}' ({})", source.path, source.format, source.where)));
    ImportOptions options;
    options.defines = source.defines;
    options.encoding = source.encoding;
    const std::size_t before = store.policies.size();
    entry->importer.import(text, options, store, diagnostics);
    const Origin wanted = source.kind == SourceKind::Dynamic ? Origin::Dynamic : Origin::Static;
    for (std::size_t i = store.policies.size(); i-- > before;) {
        Policy& p = store.policies[i];
        if (p.origin != wanted) {
            diagnostics.warning("W-DAEMON-SOURCE-KIND", p.where,
                                fmt::format("{} policy '{}' in a {} source is left out; list this file as kind: {}",
                                            to_string(p.origin), p.name, to_string(source.kind), to_string(p.origin)));
            store.policies.erase(store.policies.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        if (source.role == SourceRole::Domain) p.location = StoreLocation::Domain;
    }
    return &entry->importer;
}

}  // namespace

PolicySources::PolicySources(std::vector<PolicySource> sources) : sources_(std::move(sources)) {}

const PolicySource* PolicySources::find(const std::string& path) const {
    for (const auto& s : sources_)
        if (s.path == path) return &s;
    return nullptr;
}

std::vector<std::string> PolicySources::dynamic_paths() const {
    std::vector<std::string> out;
    for (const auto& s : sources_)
        if (s.kind == SourceKind::Dynamic) out.push_back(s.path);
    return out;
}

std::vector<const PolicySource*> PolicySources::static_sources_in_use() const {
    bool domain_present = false;
    for (const auto& s : sources_)
        if (s.kind == SourceKind::Static && s.role == SourceRole::Domain && file_exists(s.path)) domain_present = true;
    const SourceRole role = domain_present ? SourceRole::Domain : SourceRole::Local;
    std::vector<const PolicySource*> out;
    for (const auto& s : sources_) {
        if (s.kind != SourceKind::Static || s.role != role) continue;
        // A domain source that is missing is simply not assigned (no GPO);
        // only the present ones count.
        if (s.role == SourceRole::Domain && !file_exists(s.path)) continue;
        out.push_back(&s);
    }
    return out;
}

std::expected<StoreReading, Error> PolicySources::read(const std::vector<std::string>& reread_dynamic) const {
    StoreReading r;
    r.store = std::make_shared<PolicyStore>();
    for (const PolicySource* s : static_sources_in_use()) {
        if (s->role == SourceRole::Domain) r.domain_present = true;
        auto text = read_and_decode(s->path, s->encoding);
        if (!text) return std::unexpected(text.error());
        Diagnostics found;
        auto importer = import_source(*s, *text, *r.store, found);
        if (!importer) return std::unexpected(importer.error());
        r.used.push_back(s->path);
        const bool only_adds = (*importer)->only_adds(*text, found);
        r.diagnostics.append(found);
        r.static_texts.push_back(SourceText{s->path, std::move(*text), *importer, only_adds});
    }
    for (const auto& s : sources_) {
        if (s.kind != SourceKind::Dynamic) continue;
        const DecodedText* text = nullptr;
        if (std::find(reread_dynamic.begin(), reread_dynamic.end(), s.path) != reread_dynamic.end()) {
            auto& slot = r.dynamic_reads[s.path];
            if (file_exists(s.path)) {
                auto read = read_and_decode(s.path, s.encoding);
                if (!read) return std::unexpected(read.error());
                slot = std::move(*read);
                text = &*slot;
            }
        } else if (auto it = dynamic_held_.find(s.path); it != dynamic_held_.end()) {
            text = &it->second;
        }
        if (!text) continue;
        if (auto ok = import_source(s, *text, *r.store, r.diagnostics); !ok) return std::unexpected(ok.error());
        r.used.push_back(s.path);
    }
    check_store(*r.store, r.diagnostics);
    r.has_dynamic_policy = std::any_of(r.store->policies.begin(), r.store->policies.end(),
                                       [](const Policy& p) { return p.origin == Origin::Dynamic; });
    return r;
}

void PolicySources::commit(StoreReading& reading) {
    for (auto& [path, text] : reading.dynamic_reads) {
        if (text)
            dynamic_held_.insert_or_assign(path, std::move(*text));
        else
            dynamic_held_.erase(path);
    }
    reading.dynamic_reads.clear();
}

}  // namespace winipsec::daemon
