// Pinned outcomes of the listing samples read by the netdiag importer
// (../shared/corpus/windows, spec windows-ipsec.md §7.1, E20).
#include <doctest/doctest.h>

#include <filesystem>
#include <tuple>

#include "corpus_sample.hpp"
#include "import/decoded_text.hpp"
#include "import/format_table.hpp"
#include "plan/build_plan.hpp"

using namespace winipsec;
using winipsec::corpus::code_summary;
using winipsec::corpus::import_sample;

namespace {

constexpr const char* kb813878 = "35-mskb813878-netdiag-test-ipsec-debug-output.showall.txt";

std::vector<const Rule*> rules_of(const Policy& p) {
    std::vector<const Rule*> out;
    for (const auto& r : p.rules)
        if (!r.default_response) out.push_back(&r);
    return out;
}

// What a plan means, without where it came from: one line per directional rule.
std::vector<std::string> meaning(const plan::Plan& p) {
    std::vector<std::string> out;
    out.push_back(p.policy ? p.policy->name : "(none)");
    for (const auto& e : p.exemptions) out.push_back(std::string("exempt ") + to_string(e.kind));
    for (const auto& r : p.rules)
        out.push_back(std::to_string(r.rank) + " " + plan::to_string(r.direction) + " " +
                      r.verdict.name_for(r.direction) + " " + r.selector.to_string() +
                      (r.tunnel_endpoint ? " tunnel " + r.tunnel_endpoint->to_string() : ""));
    return out;
}

plan::PlanOptions options_for_me(const char* me) {
    plan::PlanOptions o;
    o.me = {*IpAddress::parse(me)};
    o.resolve_from_host = false;
    return o;
}

}  // namespace

TEST_CASE("#35 KB 813878 netdiag listing: two one-way UDP 1434 blocks on the host's address") {
    const auto r = import_sample(kb813878, "netdiag");
    // The KB text joins "IP Security test ... : Passed" with the next line;
    // "Passed" before the policy label is accepted, the blank line inside the
    // second filter block too.
    CHECK(code_summary(r.diagnostics) == "N-NETDIAG-ME:1");
    CHECK(r.diagnostics.all()[0].where.to_string() == std::string(kb813878) + ":6:1");
    REQUIRE(r.store.policies.size() == 1);
    const Policy& p = r.store.policies[0];
    CHECK(p.name == "Block UDP 1434 Filter");
    CHECK(p.guid == "{D239C599-F945-47A3-A4E3-B37BC12826B9}");
    CHECK(r.store.assigned_policy() == &p);
    const auto rules = rules_of(p);
    REQUIRE(rules.size() == 2);
    const auto* in = r.store.find_filter_list(rules[0]->filter_list);
    const auto* out = r.store.find_filter_list(rules[1]->filter_list);
    REQUIRE(in);
    REQUIRE(out);
    REQUIRE(in->filters.size() == 1);
    REQUIRE(out->filters.size() == 1);
    CHECK(in->filters[0].source.to_string() == "any");
    CHECK(in->filters[0].destination.to_string() == "me");
    CHECK(in->filters[0].destination_port == 1434);
    CHECK(in->filters[0].protocol == protocol::udp);
    CHECK_FALSE(in->filters[0].mirrored);
    CHECK(in->filters[0].where.line == 6);
    CHECK(out->filters[0].source.to_string() == "me");
    CHECK(out->filters[0].destination.to_string() == "any");
    CHECK(out->filters[0].destination_port == 1434);
    CHECK_FALSE(out->filters[0].mirrored);
    CHECK(out->filters[0].where.line == 14);
    for (const auto* rule : rules) CHECK(r.store.find_filter_action(rule->filter_action)->action == ActionKind::Block);
}

TEST_CASE("E20: the netdiag listing of KB 813878 plans exactly as the ipseccmd commands that made it") {
    const auto listing = import_sample(kb813878, "netdiag");
    const auto bat =
        read_and_decode(std::string(WINIPSEC_SOURCE_ROOT) + "/policies/examples/kb813878-block-udp-1434.ipseccmd.bat");
    REQUIRE(bat.has_value());
    PolicyStore commands;
    Diagnostics bat_diagnostics;
    find_format("ipseccmd")->importer.import(*bat, {}, commands, bat_diagnostics);
    REQUIRE_FALSE(bat_diagnostics.has_errors());

    // The listing's host address is 192.168.1.1 (it stands for `me`).
    const auto options = options_for_me("192.168.1.1");
    Diagnostics d1, d2;
    const auto from_listing = plan::build_plan(listing.store, options, d1);
    const auto from_commands = plan::build_plan(commands, options, d2);
    CHECK_FALSE(d1.has_errors());
    REQUIRE(from_listing.rules.size() == 2);
    CHECK(meaning(from_listing) == meaning(from_commands));
    CHECK(meaning(from_listing).back() == "1 outbound block 192.168.1.1 -> 0.0.0.0/0 UDP * -> 1434");
}

TEST_CASE("translate --target listing reads back: policies/examples' listing plans as its ipseccmd source") {
    // kb813878-block-udp-1434.listing is what `winipsec translate --me 192.0.2.10` prints for the .bat.
    const std::string examples = std::string(WINIPSEC_SOURCE_ROOT) + "/policies/examples/";
    PolicyStore from_listing, from_commands;
    Diagnostics d;
    for (const auto& [file, format, store] : {std::tuple{"kb813878-block-udp-1434.listing", "netdiag", &from_listing},
                                              {"kb813878-block-udp-1434.ipseccmd.bat", "ipseccmd", &from_commands}}) {
        const auto text = read_and_decode(examples + file);
        REQUIRE(text.has_value());
        CHECK(detect_format(*text)->name == format);
        find_format(format)->importer.import(*text, {}, *store, d);
    }
    CHECK(code_summary(d) == "N-NETDIAG-ME:1");
    const auto options = options_for_me("192.0.2.10");
    Diagnostics p1, p2;
    CHECK(meaning(plan::build_plan(from_listing, options, p1)) ==
          meaning(plan::build_plan(from_commands, options, p2)));
}
