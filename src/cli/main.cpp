// winipsec: a Linux IPsec gateway that speaks Windows policy.
#include <cstdio>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/exit_status.hpp"
#include "cli/verbs.hpp"

#ifndef WINIPSEC_VERSION
#define WINIPSEC_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    using namespace winipsec::cli;
    CLI::App app{"winipsec: import Windows static IPsec policies and translate them for Linux"};
    app.set_version_flag("--version", WINIPSEC_VERSION);
    app.require_subcommand(1);
    app.footer("Run `winipsec VERB --help` for a verb's options. See README for the full manual.");
    std::map<CLI::App*, VerbRunner> runners;
    auto remember = [&](VerbRunner r) { runners[app.get_subcommands({}).back()] = std::move(r); };
    remember(add_translate_verb(app));
    remember(add_lint_verb(app));
    remember(add_explain_verb(app));
    remember(add_apply_verb(app));
    remember(add_show_verb(app));
    remember(add_flush_verb(app));
    remember(add_status_verb(app));
    remember(add_reload_verb(app));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }
    for (auto& [verb, run] : runners)
        if (verb->parsed()) return run();
    return exit_usage;
}
