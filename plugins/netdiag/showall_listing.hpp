#pragma once
// `netsh ipsec static show all` and `show policy name=X level=verbose`
// (spec windows-ipsec.md §7.2). No real capture of this output was found;
// the layout is the spec's reconstruction [I], read leniently: labelled
// fields in any line arrangement, sections by their titles. Every import
// says so (W-SHOWALL-RECONSTRUCTED) so that nobody mistakes it for verified.
#include <span>

#include "import/diagnostics.hpp"
#include "model/policy.hpp"
#include "plugins/netdiag/listing_text.hpp"

namespace winipsec::listing {

void import_showall_listing(std::span<const ListingLine> lines, PolicyStore& store, Diagnostics& diagnostics);

// How many lines carry a show-all label only this layout has (for recognise()).
int count_showall_lines(std::span<const ListingLine> lines);

}  // namespace winipsec::listing
