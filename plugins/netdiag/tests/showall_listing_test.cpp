// `netsh ipsec static show all` (spec §7.2, reconstructed layout): several
// policies, rules sharing lists, the default response rule, damaged values.
#include <doctest/doctest.h>

#include "plugins/netdiag/showall_values.hpp"
#include "plugins/netdiag/tests/listing_test_support.hpp"

using namespace winipsec;
using namespace winipsec::listing;
using namespace winipsec::listing::test;

namespace {

constexpr std::string_view two_policies =
    "Policy Name : Lockdown\n"
    "Activated : NO\n"
    "No. of Rules : 3\n"
    "Rule ID : 1, GUID = {R1}\n"
    "Activated : YES\n"
    "Connection Type : LAN\n"
    "Tunnel Rule : NO\n"
    "Authentication Methods(2)\n"
    "Kerberos\n"
    "Root CA : CN=Corp Root\n"
    "FilterList Name : Web\n"
    "  Mirrored : YES\n"
    "  Source IP Address : 0.0.0.0 Source DNS Name : <Any IP Address>\n"
    "  Source Mask : 0.0.0.0\n"
    "  Destination IP Address : 0.0.0.0 Destination DNS Name : <My IP Address>\n"
    "  Destination Mask : 255.255.255.255\n"
    "  Protocol : TCP Source Port : ANY Destination Port : 80\n"
    "  Mirrored : NO\n"
    "  Source IP Address : 0.0.0.0 Source DNS Name : <DNS Servers>\n"
    "  Destination IP Address : 0.0.0.0 Destination DNS Name : <My IP Address>\n"
    "  Protocol : UDP Source Port : 53 Destination Port : ANY\n"
    "FilterAction Name : Permit\n"
    "  Action : PERMIT\n"
    "Rule ID : 2, GUID = {R2}\n"
    "Activated : YES\n"
    "Tunnel Rule : 198.51.100.9\n"
    "Authentication Methods(1)\n"
    "Preshared key : abc\n"
    "FilterList Name : Web\n"
    "FilterAction Name : Permit\n"
    "Rule ID : 3, GUID = {R3}\n"
    "Activated : NO\n"
    "FilterList Name : NONE\n"
    "FilterAction Name : Default Response\n"
    "\n"
    "Policy Name : Other\n"
    "Activated : YES\n"
    "Store : Domain Store\n";

}  // namespace

TEST_CASE("two policies; a list shared by two rules is defined once; the default response rule") {
    const auto r = import_listing(two_policies);
    CHECK(r.codes() == "W-SHOWALL-RECONSTRUCTED:1");
    REQUIRE(r.store.policies.size() == 2);
    const Policy& lockdown = r.store.policies[0];
    CHECK_FALSE(lockdown.assigned);
    REQUIRE(lockdown.rules.size() == 3);
    const Rule& r1 = lockdown.rules[0];
    CHECK(r1.connection_type == ConnectionType::Lan);
    REQUIRE(r1.authentication.size() == 2);
    CHECK(r1.authentication[0].kind == AuthKind::Kerberos);
    CHECK(r1.authentication[1].kind == AuthKind::Certificate);
    CHECK(r1.authentication[1].certificate_ca == "CN=Corp Root");
    const FilterList* web = r.store.find_filter_list("Web");
    REQUIRE(web);
    REQUIRE(web->filters.size() == 2);
    CHECK(web->filters[0].source.kind == AddressKind::Any);
    CHECK(web->filters[0].destination.kind == AddressKind::Me);
    CHECK(web->filters[0].destination_port == 80);
    CHECK(web->filters[1].source.to_string() == "DNS");
    CHECK_FALSE(web->filters[1].mirrored);
    CHECK(r.store.filter_lists.size() == 1);
    const Rule& r2 = lockdown.rules[1];
    REQUIRE(r2.tunnel_endpoint);
    CHECK(r2.tunnel_endpoint->to_string() == "198.51.100.9");
    CHECK(r2.authentication[0].preshared_key.reveal() == "abc");
    CHECK(lockdown.rules[2].default_response);
    CHECK_FALSE(lockdown.rules[2].active);
    const Policy& other = r.store.policies[1];
    CHECK(other.assigned);
    CHECK(other.location == StoreLocation::Domain);
    CHECK(other.default_response_rule());
}

TEST_CASE("damaged values are located errors; unknown lines are warnings") {
    const auto r = import_listing(
        "Policy Name : P\nPolling Interval : often\nSomething odd here\n"
        "Rule ID : 1, GUID = {R}\nFilterList Name : L\n"
        "  Source IP Address : 10.0.0.999\n  Destination IP Address : 10.0.0.1\n"
        "FilterAction Name : A\n  Action : MAYBE\n");
    CHECK(r.codes() == "E-LISTING-BAD-VALUE:3 W-LISTING-UNKNOWN-LINE:1 W-SHOWALL-RECONSTRUCTED:1");
    CHECK(r.first("W-LISTING-UNKNOWN-LINE").where.to_string() == "listing.txt:3:1");
    CHECK(r.store.find_filter_list("L")->filters.empty());
}

TEST_CASE("a rule field before any policy is refused") {
    const auto r = import_listing("Rule ID : 1\nPolicy Name : P\nFilterList Name : L\n");
    CHECK(r.codes() == "E-SHOWALL-OUTSIDE:2 W-SHOWALL-RECONSTRUCTED:1");
}

TEST_CASE("show-all values") {
    CHECK(parse_main_mode_row("DES MD5 Low(1)") == MainModeOffer{Cipher::Des, Integrity::Md5, DhGroup::Modp768});
    CHECK(parse_main_mode_row("3DES SHA1 High(2048)")->group == DhGroup::Modp2048);
    CHECK_FALSE(parse_main_mode_row("3DES SHA1"));
    const auto qm = parse_quick_mode_row("0/0 AH[MD5]+ESP[DES,None]");
    REQUIRE(qm);
    CHECK(qm->ah == Integrity::Md5);
    CHECK(qm->esp == EspTransform{Cipher::Des, Integrity::None});
    CHECK_FALSE(parse_quick_mode_row("100000/3600 ESP[3DES]"));
    CHECK_FALSE(parse_quick_mode_row("ESP[3DES,SHA1]+"));
    CHECK(parse_main_mode_lifetime("480 minutes / 5 Quick Mode sessions")->quick_modes == 5);
    std::string why;
    CHECK(parse_listed_address("10.1.2.3", "255.255.255.0", "", why)->to_string() == "10.1.2.0/24");
    CHECK(parse_listed_address("0.0.0.0", "255.255.255.255", "", why)->kind == AddressKind::Me);
    CHECK_FALSE(parse_listed_address("10.1.2.3", "255.0.255.0", "", why));
}
