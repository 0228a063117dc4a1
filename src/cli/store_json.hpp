#pragma once
// `translate --target json`: the whole imported store, every object with its
// source location. Keys are stable (README "JSON OUTPUT"); pre-shared keys are
// "********" unless the caller asks for them.
#include <nlohmann/json.hpp>

#include "model/policy.hpp"

namespace winipsec::cli {

struct JsonOptions {
    bool show_secrets = false;
};

nlohmann::ordered_json store_to_json(const PolicyStore& store, const JsonOptions& options);

}  // namespace winipsec::cli
