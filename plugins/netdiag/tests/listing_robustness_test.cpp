// Damaged listings never crash or over-read: every prefix of the spec's two
// samples, and every byte replaced by characters the readers care about,
// import with diagnostics at most.
#include <doctest/doctest.h>

#include "plugins/netdiag/tests/listing_test_support.hpp"

using namespace winipsec;
using namespace winipsec::listing::test;

namespace {

constexpr std::string_view netdiag =
    "IP Security test . . . . . . . . . : Passed\n"
    "Local IPSec Policy Active: 'P'\n"
    "There are 1 filters\nNo Name\nFilter Id: {A}\nPolicy Id: {B}\n"
    "Src Addr : 0.0.0.0 Src Mask : 0.0.0.0\nDest Addr : 192.0.2.1 Dest Mask : 255.255.255.255\n"
    "Tunnel Addr : 198.51.100.1 Src Port : 0 Dest Port : 1434\nProtocol : 17 TunnelFilter: Yes\n"
    "Flags : Inbound Negotiate InboundPassthru\n";

constexpr std::string_view showall =
    "Policy Name : P\nActivated : YES\nMain Mode Life Time : 480 minutes / 0 Quick Mode sessions\n"
    "Main Mode Security Methods\n3DES SHA1 Medium(2)\nNo. of Rules : 1\nRule ID : 1, GUID = {R}\n"
    "Tunnel Rule : 198.51.100.1\nAuthentication Methods(1)\nPreshared key : k\nFilterList Name : L\n"
    "  Mirrored : NO\n  Source IP Address : 10.0.0.0 Source DNS Name : <A Specific IP Subnet>\n"
    "  Source Mask : 255.0.0.0\n  Destination IP Address : 0.0.0.0\n  Protocol : TCP Source Port : 80\n"
    "FilterAction Name : A\n  Action : NEGOTIATE SECURITY\n  Security Methods\n  100000/3600 AH[MD5]+ESP[DES,SHA1]\n";

void survives(std::string_view sample) {
    for (std::size_t n = 0; n <= sample.size(); ++n) (void)import_undecoded(sample.substr(0, n));
    for (std::size_t i = 0; i < sample.size(); ++i)
        for (const char c : {'\0', ':', ' ', '\n', '{', '-', '9', '\xE2'}) {
            std::string damaged(sample);
            damaged[i] = c;
            const auto r = import_undecoded(damaged);
            CHECK(r.store.policies.size() <= 1);
        }
}

}  // namespace

TEST_CASE("every prefix and every one-byte corruption of a netdiag listing imports without crashing") {
    survives(netdiag);
}

TEST_CASE("every prefix and every one-byte corruption of a show-all listing imports without crashing") {
    survives(showall);
}
