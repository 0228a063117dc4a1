#pragma once
// The error value returned across module edges (std::expected<T, Error>).
// The kind picks the exit code the CLI reports (README "Exit status").
#include <string>

namespace winipsec {

struct Error {
    enum class Kind { Input, Usage, System };
    Kind kind = Kind::Input;
    std::string message;

    static Error input(std::string m) { return {Kind::Input, std::move(m)}; }
    static Error usage(std::string m) { return {Kind::Usage, std::move(m)}; }
    static Error system(std::string m) { return {Kind::System, std::move(m)}; }
};

}  // namespace winipsec
