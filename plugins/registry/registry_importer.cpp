#include "plugins/registry/registry_importer.hpp"

#include <fmt/format.h>

#include "plugins/registry/reg_exe_commands.hpp"
#include "plugins/registry/reg_file_parser.hpp"
#include "plugins/registry/regf_hive_reader.hpp"
#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"
#include "plugins/registry/store_resolver.hpp"

// Three spellings of one thing, each read into a neutral registry tree
// (registry_tree.hpp), from which the store is read (store_resolver.hpp):
//   regf hive    binary, "regf" at offset 0: libhivex
//   .reg file    a regedit header line, then [key] and "name"=value lines
//   reg.exe      batch lines `reg add KEY /v NAME /t TYPE /d DATA` (corpus #40)
namespace winipsec {
namespace {

using namespace registry;

SourceLocation file_location(const DecodedText& text) {
    SourceLocation where;
    where.file = text.path;
    return where;
}

class RegistryImporter final : public Importer {
public:
    std::string_view name() const override { return "registry"; }

    int recognise(const DecodedText& text) const override {
        if (is_regf_hive(text.raw_bytes)) return 100;
        if (has_reg_file_header(text.utf8))
            return text.utf8.find("IPSec") != std::string::npos ||
                           ascii_lower(text.utf8).find("\\ipsec") != std::string::npos
                       ? 98
                       : 90;
        const auto lines = count_reg_exe_lines(text.utf8);
        if (lines.ipsec > 0) return 90;
        if (lines.commands > 0) return 40;
        // An .ipsec export that is no hive: claim it weakly, so that the user
        // gets this importer's advice rather than "unknown format".
        if (text.encoding == "binary" || (text.path && iends_with(*text.path, ".ipsec"))) return 30;
        return 0;
    }

    void import(const DecodedText& text, const ImportOptions& options, PolicyStore& store,
                Diagnostics& diagnostics) const override {
        RegistryTree tree;
        if (is_regf_hive(text.raw_bytes)) {
            if (auto read = read_regf_hive(text.raw_bytes, text.path, tree); !read) {
                diagnostics.error(code::hive_unreadable, file_location(text),
                                  fmt::format("this registry hive cannot be read ({}); export the policy store "
                                              "with regedit instead: {}",
                                              read.error(), export_advice));
                return;
            }
        } else if (has_reg_file_header(text.utf8)) {
            if (!read_reg_file(text, tree, diagnostics)) return;
        } else if (count_reg_exe_lines(text.utf8).commands > 0) {
            read_reg_exe_commands(text, options, tree, diagnostics);
        } else if (text.encoding == "binary" || (text.path && iends_with(*text.path, ".ipsec"))) {
            diagnostics.error(code::not_a_hive, file_location(text),
                              fmt::format("this file is neither a registry hive ('regf') nor text winipsec knows; "
                                          "the .ipsec format of netsh exportpolicy and the MMC is not documented "
                                          "(spec §7.4). Export the policy store with regedit instead: {}",
                                          export_advice));
            return;
        } else if (!read_reg_file(text, tree, diagnostics)) {
            return;
        }
        const StoreSummary summary = apply_registry_store(tree, store, diagnostics);
        if (summary.objects == 0 && summary.settings == 0)
            diagnostics.warning(code::not_understood, file_location(text),
                                fmt::format("no IPsec policy object (ipsecPolicy{{...}}, ipsecFilter{{...}}, ...) and "
                                            "no IPsec service setting in this file; nothing imported. The store is at "
                                            "{}",
                                            store_key));
    }

private:
    static constexpr const char* store_key = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local";
    static constexpr const char* export_advice =
        "`reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local policy.reg` (or File > "
        "Export in regedit on that key)";
};

}  // namespace

const Importer& registry_importer() {
    static const RegistryImporter instance;
    return instance;
}

}  // namespace winipsec
