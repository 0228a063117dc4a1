// Pinned outcomes of the registry samples (../shared/corpus/windows/*.reg.txt):
// the policy store each holds, and every diagnostic the import gives. #39
// and #40 are one store written two ways (regedit export and reg.exe add
// lines) and must import the same.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "corpus_sample.hpp"
#include "import/decoded_text.hpp"
#include "import/format_table.hpp"

using namespace winipsec;
using corpus::import_sample;

namespace {

struct Outcome {
    std::size_t policies;
    std::size_t rules;
    std::size_t filters;
    const char* assigned;  // "" = none
    const char* codes;     // corpus::code_summary
};

corpus::SampleImport check(std::string_view file, const Outcome& want) {
    auto s = import_sample(file, "registry");
    INFO(file);
    const Policy* assigned = s.store.assigned_policy();
    CHECK(s.store.policies.size() == want.policies);
    CHECK(corpus::rule_count(s.store) == want.rules);
    CHECK(corpus::filter_count(s.store) == want.filters);
    CHECK(std::string(assigned ? assigned->name : "") == want.assigned);
    CHECK(corpus::code_summary(s.diagnostics) == want.codes);
    return s;
}

const FilterList& list_of(const PolicyStore& store, const Rule& rule) {
    const FilterList* l = store.find_filter_list(rule.filter_list);
    REQUIRE(l);
    return *l;
}

// Everything the model holds about a store except where it was read from.
std::string canonical(const PolicyStore& store) {
    std::string out;
    for (const auto& p : store.policies) {
        out += fmt::format("policy {} {} assigned={} {} poll={} life={} qm={} pfs={}\n", p.name, p.guid, p.assigned,
                           to_string(p.location), p.polling_interval_minutes, p.main_mode.lifetime_seconds,
                           p.main_mode.quick_modes_per_main_mode, p.main_mode.master_pfs);
        for (const auto& o : p.main_mode.offers) out += " mm " + to_string(o) + "\n";
        for (const auto& r : p.rules) {
            out += fmt::format(" rule {} {} list={} action={} active={} dr={} {} tunnel={}\n", r.name, r.guid,
                               r.filter_list, r.filter_action, r.active, r.default_response,
                               to_string(r.connection_type), r.tunnel_endpoint ? r.tunnel_endpoint->to_string() : "-");
            for (const auto& a : r.authentication)
                out += fmt::format("  auth {} {}\n", to_string(a.kind), a.certificate_ca);
            if (r.default_response_action)
                for (const auto& o : r.default_response_action->offers) out += "  response " + to_string(o) + "\n";
        }
    }
    for (const auto& l : store.filter_lists) {
        out += fmt::format("list {} {} '{}'\n", l.name, l.guid, l.description);
        for (const auto& f : l.filters)
            out += fmt::format(" {} {} {} {} {} {} '{}'\n", f.source.to_string(), f.destination.to_string(),
                               protocol_name(f.protocol), f.source_port, f.destination_port, f.mirrored, f.description);
    }
    for (const auto& a : store.filter_actions) {
        out += fmt::format("action {} {} {} inpass={} soft={} pfs={}\n", a.name, a.guid, to_string(a.action),
                           a.inbound_passthrough, a.fallback_to_clear, a.quick_mode_pfs);
        for (const auto& o : a.offers) out += " offer " + to_string(o) + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("38 UTF-16LE .reg that only sets NoDefaultExempt=3 for the IPsec service") {
    const auto s = check("38-sec505-ipsec-service-nodefaultexempt-utf16.reg.txt", {0, 0, 0, "", ""});
    CHECK(s.encoding == "UTF-16LE");
    CHECK(s.store.no_default_exempt == 3);
}

TEST_CASE("39 regedit export of a Windows 10 store: block 17 protocol/port filters and dial-up traffic") {
    const auto s = check("39-gsecurity-ipsec-policy-store-regedit-export.reg.txt",
                         {1, 2, 18, "GSecurity IP Policy", "W-REG-PORT-PAIRS:1"});
    const Policy& p = *s.store.assigned_policy();
    CHECK(p.guid == "{FEF1D3CD-E509-4D7E-AC24-4A23AFC9EB26}");
    CHECK(p.location == StoreLocation::Local);
    CHECK(p.polling_interval_minutes == 180);
    REQUIRE(p.main_mode.offers.size() == 1);
    CHECK(to_string(p.main_mode.offers[0]) == "3DES-SHA1-2");
    CHECK(p.main_mode.lifetime_seconds == 28800);
    REQUIRE(p.rules.size() == 3);

    // an NFA has no name: rules carry their filter list's, as the MMC shows them
    const Rule& protocols = p.rules[0];
    CHECK(protocols.name == "Protocols");
    CHECK(protocols.connection_type == ConnectionType::All);
    CHECK(protocols.filter_action == "Block");
    CHECK(protocols.authentication.at(0).kind == AuthKind::Kerberos);
    const auto& fs = list_of(s.store, protocols).filters;
    std::vector<int> numbers;
    for (const auto& f : fs) numbers.push_back(f.protocol);
    CHECK(numbers == std::vector<int>{8, 20, 1, 255, 27, 66, 22, 6, 6, 6, 6, 6, 17, 17, 17, 17, 17});
    for (const auto& f : fs) {
        CHECK(f.source.kind == AddressKind::Any);
        CHECK(f.destination.kind == AddressKind::Any);
        CHECK(f.mirrored);
    }
    // "from port 1 to port 52": a source and a destination port, not a range
    CHECK(fs[7].source_port == 1);
    CHECK(fs[7].destination_port == 52);
    CHECK(fs[16].source_port == 444);
    CHECK(fs[16].destination_port == 1000);
    const Diagnostic& pairs = s.diagnostics.all().at(0);
    CHECK(pairs.where.line == 34);  // the 8th record's first byte in the continued hex list
    CHECK(pairs.message.find("10 filters") != std::string::npos);

    const Rule& dialup = p.rules[1];
    CHECK(dialup.name == "Remote Access");
    CHECK(dialup.connection_type == ConnectionType::Dialup);
    REQUIRE(list_of(s.store, dialup).filters.size() == 1);
    CHECK(list_of(s.store, dialup).filters[0].protocol == protocol::any);

    const Rule& response = p.rules[2];
    CHECK(response.default_response);
    CHECK_FALSE(response.active);
    REQUIRE(response.default_response_action);
    REQUIRE(response.default_response_action->offers.size() == 2);
    CHECK(to_string(response.default_response_action->offers[0]) == "ESP[3DES,SHA1]");
    CHECK(to_string(response.default_response_action->offers[1]) == "AH[SHA1]");

    REQUIRE(s.store.filter_actions.size() == 1);
    CHECK(s.store.filter_actions[0].action == ActionKind::Block);
    CHECK_FALSE(s.store.no_default_exempt);
}

TEST_CASE("40 the same store as Echo Y | Reg.exe add lines, plus NoDefaultExempt=3") {
    const auto s = check("40-gsecurity-same-policy-as-reg-exe-add.reg.txt",
                         {1, 2, 18, "GSecurity IP Policy", "W-REG-PORT-PAIRS:1"});
    const Diagnostic& pairs = s.diagnostics.all().at(0);
    CHECK(pairs.where.line == 5);
    CHECK(pairs.where.column == 1195);  // the record's first hex digit in the one-line /d string
    CHECK(s.store.no_default_exempt == 3);
}

TEST_CASE("39 and 40 are one policy store exported two ways: they import the same") {
    const auto exported = import_sample("39-gsecurity-ipsec-policy-store-regedit-export.reg.txt", "registry");
    const auto added = import_sample("40-gsecurity-same-policy-as-reg-exe-add.reg.txt", "registry");
    CHECK(canonical(exported.store) == canonical(added.store));
    CHECK(canonical(exported.store).size() > 1000);
    // the only difference: #40 also sets the IPsec service's NoDefaultExempt
    CHECK_FALSE(exported.store.no_default_exempt);
    CHECK(added.store.no_default_exempt == 3);
}

TEST_CASE("41 hand-ordered export with @=\"\": block SMB/NetBIOS/telnet/SSH ports and two broadcast addresses") {
    const auto s = check("41-gsecurity2022-hand-ordered-regedit-export.reg.txt", {1, 2, 33, "GSecurity IP Policy", ""});
    const Policy& p = *s.store.assigned_policy();
    REQUIRE(p.rules.size() == 3);
    CHECK(p.rules[0].name == "All IP Filter List");
    CHECK(p.rules[0].connection_type == ConnectionType::Dialup);
    CHECK(p.rules[1].name == "Blocked IP Filter List");
    CHECK(p.rules[1].connection_type == ConnectionType::All);
    CHECK(p.rules[2].default_response);
    const auto& fs = list_of(s.store, p.rules[1]).filters;
    REQUIRE(fs.size() == 32);
    CHECK(fs[0].protocol == protocol::tcp);
    CHECK(fs[0].source_port == 22);
    CHECK(fs[0].destination_port == 0);
    CHECK(fs[13].destination_port == 445);
    CHECK(fs[14].protocol == protocol::udp);
    CHECK(fs[28].source.to_string() == "192.168.0.255");
    CHECK(fs[31].destination.to_string() == "192.168.1.255");
    for (const auto& f : fs) CHECK(f.mirrored);
}

TEST_CASE("format detection picks the registry importer for every .reg sample and for no other sample") {
    int ours = 0;
    for (const auto& entry : std::filesystem::directory_iterator(*corpus::corpus_dir())) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".txt")) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto text = decode_bytes(bytes, name);
        REQUIRE(text);
        CAPTURE(name);
        const int score = find_format("registry")->importer.recognise(*text);
        if (name.ends_with(".reg.txt")) {
            ++ours;
            CHECK(score >= 90);
            CHECK(detect_format(*text)->name == "registry");
        } else {
            CHECK(score == 0);
        }
    }
    CHECK(ours == 4);
}
