#pragma once
// The netsh ipsec command tables (spec windows-ipsec.md §4.2, §5, §11.1) and
// the binding of a command's tokens to its tags (§4.1): tags in documented
// positional order, abbreviations, untagged values.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "import/diagnostics.hpp"
#include "import/netsh_lexer.hpp"

namespace winipsec::netsh {

enum class Context { Static, Dynamic, Consec };
const char* to_string(Context context);  // "ipsec static", "ipsec dynamic", "advfirewall consec"

enum class CommandId {
    // netsh ipsec static
    AddPolicy,
    SetPolicy,
    DeletePolicy,
    AddFilterList,
    SetFilterList,
    DeleteFilterList,
    AddFilter,
    DeleteFilter,
    AddFilterAction,
    SetFilterAction,
    DeleteFilterAction,
    AddRule,
    SetRule,
    DeleteRule,
    SetDefaultRule,
    SetStore,
    SetBatch,
    DeleteAll,
    Show,
    ExportPolicy,
    ImportPolicy,
    // netsh ipsec dynamic
    DynamicAddRule,
    DynamicSetConfig,
    DynamicDeleteAll,
    DynamicShow,
    DynamicNotImported,
    // netsh advfirewall consec
    ConsecAddRule,
    ConsecOther,
};

struct TagSpec {
    std::string_view name;
    bool required = false;
    int group = 0;            // tags with the same non-zero group are alternatives (name | guid)
    bool repeatable = false;  // rootca
    bool keyword = false;     // a bare word, not tag=value (`all` in `delete rule all`)
};

struct CommandSpec {
    CommandId id;
    Context context;
    std::string_view verb;
    std::string_view object;  // empty: the verb takes no object (exportpolicy)
    std::span<const TagSpec> tags;
    bool lenient = false;  // arguments are not bound (show, dynamic commands that are not imported)

    std::string title() const;  // "add filter"
};

// The command named by words[0] (verb) and words[1] (object). On failure an
// E-NETSH-UNKNOWN-COMMAND is reported and nullopt returned. `argument_index`
// receives the index of the first argument token.
const CommandSpec* identify_command(Context context, std::span<const Token> words, const SourceLocation& where,
                                    std::size_t& argument_index, Diagnostics& diagnostics);

// True when `word` names a command verb of the context (exactly or as a
// unique prefix): used to recognise bare `add ...` lines under `pushd`.
bool is_verb(Context context, std::string_view word);

// A command's arguments, each bound to one of its tags.
class Arguments {
public:
    struct Entry {
        std::size_t tag;
        const Token* token;
    };
    const CommandSpec* spec = nullptr;
    std::vector<Entry> in_order;

    const Token* get(std::string_view tag) const;
    bool has(std::string_view tag) const { return get(tag) != nullptr; }
    std::string_view tag_name(const Entry& e) const { return spec->tags[e.tag].name; }
};

// Binds tokens to tags. Reports E-NETSH-UNKNOWN-TAG, E-NETSH-DUPLICATE-TAG,
// E-NETSH-EXTRA-VALUE, E-NETSH-MISSING-TAG (errors: nullopt) and
// W-NETSH-AMBIGUOUS-TAG, W-NETSH-UNTAGGED-VALUE (warnings). A required tag
// that an unknown tag was suggested for is not reported missing again.
std::optional<Arguments> bind_arguments(const CommandSpec& spec, std::span<const Token> args,
                                        const SourceLocation& where, Diagnostics& diagnostics);

// For commands that are reported but not imported (consec): only tags that
// match nothing are reported, so the user still learns about typos.
void report_unknown_tags(const CommandSpec& spec, std::span<const Token> args, Diagnostics& diagnostics);

}  // namespace winipsec::netsh
