#pragma once
// One netsh command as the script runner hands it over, the state a script
// carries from command to command, and the entry points that apply commands
// to a PolicyStore in order, as Windows would.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "import/netsh_lexer.hpp"
#include "plugins/netsh/netsh_tags.hpp"

namespace winipsec::netsh {

struct Command {
    Context context = Context::Static;
    SourceLocation where;      // start of the command (its `netsh` or first word)
    std::vector<Token> words;  // verb, object, arguments
};

// What one import carries from command to command.
struct ScriptState {
    StoreLocation store_location = StoreLocation::Local;  // `set store location=`
    bool dynamic_noted = false;                           // N-NETSH-DYNAMIC given for this file
};

// Identifies, binds and applies one command; every problem is a diagnostic.
void execute(const Command& command, ScriptState& state, PolicyStore& store, Diagnostics& diagnostics);

// Reads typed values of bound arguments; a bad value is reported as
// E-NETSH-BAD-VALUE at the value and makes ok() false, so the command is not
// applied (netsh rejects the whole command).
class ValueReader {
public:
    ValueReader(const Arguments& args, Diagnostics& diagnostics) : args_(args), diagnostics_(diagnostics) {}

    template <class Parse>
    auto read(std::string_view tag, Parse&& parse)
        -> std::optional<typename decltype(parse(std::string_view()))::value_type> {
        const Token* t = args_.get(tag);
        if (!t) return std::nullopt;
        auto result = parse(std::string_view(t->value));
        if (!result) {
            diagnostics_.error("E-NETSH-BAD-VALUE", t->value_at,
                               fmt::format("{}={}: {}", tag, t->value, result.error()));
            ok_ = false;
            return std::nullopt;
        }
        return std::move(*result);
    }
    std::optional<std::string> text(std::string_view tag) const {
        const Token* t = args_.get(tag);
        return t ? std::optional<std::string>(t->value) : std::nullopt;
    }
    const Token* token(std::string_view tag) const { return args_.get(tag); }
    const Arguments& arguments() const { return args_; }
    Diagnostics& diagnostics() { return diagnostics_; }
    bool ok() const { return ok_; }
    void fail() { ok_ = false; }

private:
    const Arguments& args_;
    Diagnostics& diagnostics_;
    bool ok_ = true;
};

// Static commands, by subject (netsh_policy_commands.cpp,
// netsh_filter_commands.cpp, netsh_rule_commands.cpp).
void run_policy_command(CommandId id, const Command& command, ValueReader& values, ScriptState& state,
                        PolicyStore& store);
void run_filter_command(CommandId id, const Command& command, ValueReader& values, PolicyStore& store);
// `add filter` keeps an index of the list it adds to between commands (a
// 100 000-filter script would be quadratic without it); a script run drops
// it when it ends, so the next import (winipsecd reads single lines between
// whole scripts) does not pay for freeing it.
void forget_filter_index();
void run_rule_command(CommandId id, const Command& command, ValueReader& values, PolicyStore& store);
// netsh ipsec dynamic (netsh_dynamic.cpp).
void run_dynamic_command(CommandId id, const Command& command, ValueReader& values, PolicyStore& store);

// Rules of every policy that use the filter list / filter action `name`.
bool filter_list_in_use(const PolicyStore& store, std::string_view name);
bool filter_action_in_use(const PolicyStore& store, std::string_view name);

// Names of objects for did-you-mean.
std::vector<std::string> policy_names(const PolicyStore& store, Origin origin = Origin::Static);
std::vector<std::string> filter_list_names(const PolicyStore& store);
std::vector<std::string> filter_action_names(const PolicyStore& store);

}  // namespace winipsec::netsh
