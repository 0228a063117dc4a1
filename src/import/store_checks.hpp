#pragma once
// Checks every importer's result gets once all inputs are read: faults that
// only show in the finished store (a rule whose filter list was deleted later,
// no assigned policy) and risks common to all formats.
#include "import/diagnostics.hpp"
#include "model/policy.hpp"

namespace winipsec {

void check_store(const PolicyStore& store, Diagnostics& diagnostics);

}  // namespace winipsec
