#pragma once
// The daemon's Windows policy store, read from its configured sources with
// Windows' store semantics (spec §2.1, §5, §8.1):
//  - while any domain source file exists, the domain sources replace the
//    local ones entirely (a GPO-assigned policy overrides the local one, no
//    merge); delete it and the local policy is back;
//  - static sources are read from their files on every reload;
//  - dynamic sources are held in memory: read when their file changes or on
//    an explicit reload, never at start-up, so dynamic policy does not
//    survive a restart of the daemon, as it does not survive one of
//    Windows' Policy Agent.
// A source contributes only policy of its kind: static policy found in a
// dynamic source (or the reverse) is left out with a warning.
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/daemon_config.hpp"
#include "import/decoded_text.hpp"
#include "import/diagnostics.hpp"
#include "import/error.hpp"
#include "import/importer.hpp"
#include "model/policy.hpp"

namespace winipsec::daemon {

// A static source's text as last read, with what a quick reload needs to
// compare the next read with (import/filter_line_edits.hpp).
struct SourceText {
    std::string path;
    DecodedText text;
    const Importer* importer = nullptr;
    bool only_adds = false;  // importer->only_adds(text)
};

// What one read of the sources produced.
struct StoreReading {
    std::shared_ptr<PolicyStore> store;
    Diagnostics diagnostics;
    bool domain_present = false;      // the domain sources replaced the local ones
    std::vector<std::string> used;    // paths that contributed, in order
    bool has_dynamic_policy = false;  // the store holds dynamic policies
    // Dynamic sources re-read for this reading; kept by commit() once the
    // result is applied, dropped otherwise.
    std::map<std::string, std::optional<DecodedText>> dynamic_reads;
    std::vector<SourceText> static_texts;  // in `used` order
};

class PolicySources {
public:
    explicit PolicySources(std::vector<PolicySource> sources);

    // Reads the store. `reread_dynamic` lists the dynamic source paths to
    // read from their files now (their content so far is used otherwise);
    // a missing dynamic file means no dynamic policy from it. Fails only
    // when a file that must be read cannot be (a local static source, or a
    // present domain or dynamic one); faults in the policy text are
    // diagnostics.
    std::expected<StoreReading, Error> read(const std::vector<std::string>& reread_dynamic) const;
    // The reading was applied: its dynamic reads become the held content.
    void commit(StoreReading& reading);

    const std::vector<PolicySource>& sources() const { return sources_; }
    // The static sources a read takes now, in order: the domain ones while
    // any is present, the local ones otherwise.
    std::vector<const PolicySource*> static_sources_in_use() const;
    const PolicySource* find(const std::string& path) const;
    std::vector<std::string> dynamic_paths() const;
    // Whether a dynamic source's policy is currently held (for status).
    bool holds_dynamic(const std::string& path) const { return dynamic_held_.contains(path); }

private:
    std::vector<PolicySource> sources_;
    std::map<std::string, DecodedText> dynamic_held_;  // absent = nothing held
};

}  // namespace winipsec::daemon
