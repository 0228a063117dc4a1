#pragma once
// Which netsh command a logical batch line is, as far as the consec importer
// cares: `netsh advfirewall consec <verb> rule ...`, the `advfirewall set`
// commands that touch connection security (store, global main mode), other
// advfirewall or netsh commands, and lines that are not netsh at all. Lines
// of a `netsh -f` script have no `netsh` in front (`advfirewall consec ...`).
#include <cstddef>
#include <string>

#include "import/script_line.hpp"

namespace winipsec::consec {

enum class CommandKind {
    NotNetsh,       // echo, pause, ...: not a netsh command
    ConsecAddRule,  // consec add rule
    ConsecDeleteRule,
    ConsecSetRule,
    ConsecShow,         // consec show ...: a query
    ConsecOther,        // consec reset, consec dump, consec add <other>, ...
    SetStore,           // advfirewall set store ...
    SetGlobalMainMode,  // advfirewall set global mainmode ...
    SetGlobalOther,     // advfirewall set global ipsec|statefulftp|...
    OtherAdvfirewall,   // advfirewall firewall ..., set allprofiles ..., export, mainmode context, ...
    LegacyIpsec,        // netsh ipsec ...: the netsh importer's
    OtherNetsh,         // netsh interface ..., netsh with no context
};

struct Command {
    CommandKind kind = CommandKind::NotNetsh;
    std::size_t arguments = 0;  // byte offset in the line where the tag=value arguments start
    std::string words;          // the command words as written, for messages ("advfirewall firewall add")
};

Command classify_command(const ScriptLine& line);

}  // namespace winipsec::consec
