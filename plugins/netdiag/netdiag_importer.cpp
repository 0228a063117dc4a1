#include "plugins/netdiag/netdiag_importer.hpp"

#include <algorithm>

#include "plugins/netdiag/listing_text.hpp"
#include "plugins/netdiag/netdiag_codes.hpp"
#include "plugins/netdiag/netdiag_filters.hpp"
#include "plugins/netdiag/netdiag_policy.hpp"
#include "plugins/netdiag/showall_listing.hpp"

namespace winipsec {
namespace {

using namespace listing;

// `netsh advfirewall consec show rule` output ("Rule Name:", "Endpoint1:")
// is a listing too, of connection security rules: the consec importer reads it.
int count_consec_listing_lines(std::span<const ListingLine> lines) {
    static constexpr std::string_view labels[] = {"Rule Name", "Endpoint1", "Endpoint2", "Action", "Auth1"};
    int n = 0;
    for (const auto& line : lines) {
        const ScannedLine s = scan_fields(line, labels);
        if (!s.fields.empty() && s.leading.empty()) ++n;
    }
    return n;
}

class ListingImporter final : public Importer {
public:
    std::string_view name() const override { return "netdiag"; }

    // Listings have labels no script has: three lines with netdiag filter
    // labels or show-all labels make the layout near certain.
    int recognise(const DecodedText& text) const override {
        const auto lines = split_lines(text.utf8, text.path);
        const int netdiag = count_netdiag_lines(lines);
        const int showall = count_showall_lines(lines);
        const int best = std::max(netdiag, showall);
        if (best == 0 || count_consec_listing_lines(lines) > best) return 0;
        return std::min(95, 40 + 10 * best);
    }

    void import(const DecodedText& text, const ImportOptions&, PolicyStore& store,
                Diagnostics& diagnostics) const override {
        const auto lines = split_lines(text.utf8, text.path);
        SourceLocation file_start{text.path, 1, 1};
        const int netdiag = count_netdiag_lines(lines);
        const int showall = count_showall_lines(lines);
        if (count_consec_listing_lines(lines) > std::max(netdiag, showall)) {
            diagnostics.error(code::consec_listing, file_start,
                              "this is `netsh advfirewall consec show rule` output (connection security rules); "
                              "import it with --format consec");
            return;
        }
        if (netdiag > 0 && netdiag >= showall) {
            add_netdiag_policy(read_netdiag_listing(lines, diagnostics), file_start, store, diagnostics);
            return;
        }
        if (showall > 0) {
            import_showall_listing(lines, store, diagnostics);
            return;
        }
        diagnostics.error(code::unknown_layout, file_start,
                          "neither a `netdiag /test:ipsec /debug` listing nor a `netsh ipsec static show all` "
                          "listing; nothing imported");
    }
};

}  // namespace

const Importer& netdiag_importer() {
    static const ListingImporter instance;
    return instance;
}

}  // namespace winipsec
