#pragma once
// The round trip the netsh writer promises (issue 8): a store, written as a
// netsh script and read back by the netsh importer, gives the same store
// (modulo what the comparison below documents) and the same plan.
#include <string>
#include <vector>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plan/plan.hpp"

namespace winipsec::roundtrip {

// Fixed plan inputs, so that both plans see one host: me = 192.0.2.10, no
// lookups on this machine, made-up DNS/WINS/DHCP servers and gateway.
plan::PlanOptions fixed_plan_options(bool include_dynamic);

struct RoundTrip {
    std::string script;
    Diagnostics written;  // the writer's findings
    PolicyStore read_back;
    Diagnostics read;  // the importer's findings on the script (and check_store's)
    // What differs, one line each; empty = the same.
    std::vector<std::string> store_differences;
    std::vector<std::string> plan_differences;  // static policy, then static + dynamic

    bool same() const { return store_differences.empty() && plan_differences.empty(); }
    // "W-EXPORT-CHANGED:1 W-EXPORT-NOT-WRITTEN:2", warnings and errors only.
    std::string writer_warnings() const;
};

// `original` must have been checked (check_store) like the read-back store is.
RoundTrip round_trip(const PolicyStore& original, bool show_secrets = true);

struct Imported {
    PolicyStore store;
    Diagnostics diagnostics;
};
// `text` imported with the format-table entry `format` ("auto": detected),
// then checked as winipsec checks every input.
Imported import_text(std::string_view text, std::string_view format = "auto", const std::string& path = "test.cmd");

// The comparisons on their own (exposed for the tests of the test).
std::vector<std::string> compare_stores(const PolicyStore& before, const PolicyStore& after);
std::vector<std::string> compare_plans(const plan::Plan& before, const plan::Plan& after, bool dynamic_names);

}  // namespace winipsec::roundtrip
