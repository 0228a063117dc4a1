#pragma once
// A pre-shared key. It has no implicit conversion to text so that it cannot
// reach a log line or an output by accident; callers say reveal() where they
// mean it (the VICI load-shared request, --show-secrets).
#include <string>

namespace winipsec {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }
    static constexpr const char* redacted = "********";
    bool operator==(const Secret&) const = default;

private:
    std::string value_;
};

}  // namespace winipsec
