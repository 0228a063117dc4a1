#pragma once
// One file per verb (wireguard-tools style): each registers its options on
// the top-level app and runs when chosen.
#include <functional>

#include <CLI/CLI.hpp>

namespace winipsec::cli {

using VerbRunner = std::function<int()>;

VerbRunner add_translate_verb(CLI::App& app);
VerbRunner add_lint_verb(CLI::App& app);
VerbRunner add_explain_verb(CLI::App& app);
VerbRunner add_apply_verb(CLI::App& app);
VerbRunner add_show_verb(CLI::App& app);
VerbRunner add_flush_verb(CLI::App& app);
VerbRunner add_status_verb(CLI::App& app);
VerbRunner add_reload_verb(CLI::App& app);

}  // namespace winipsec::cli
