// Damaged consec input never crashes or over-reads: every prefix of a rule
// that uses every mapped option and of a `show rule` listing, and every byte
// replaced by characters the lexer and value readers care about.
#include <doctest/doctest.h>

#include "plugins/consec/tests/consec_test_support.hpp"

using namespace winipsec;
using namespace winipsec::consec::test;

namespace {

constexpr std::string_view script =
    "netsh advfirewall consec add rule name=\"t 1\" mode=tunnel endpoint1=10.1.0.0/16,10.2.0.1-10.2.0.9 "
    "endpoint2=192.0.2.0/255.255.255.0,dns port1=80,443 port2=1024 protocol=tcp localtunnelendpoint=1.1.1.1 "
    "remotetunnelendpoint=2.2.2.2 action=requireinrequireout interfacetype=lan,wireless enable=yes "
    "auth1=computerkerb,computercert,computerpsk auth1psk=k auth1ca=\"CN=\\'R\\' certmapping:yes|CN=S\" "
    "qmsecmethods=ah:sha1+esp:sha1-aes128+60min+100000kb,esp:md5-3des qmpfs=dhgroup2\n"
    "netsh advfirewall set global mainmode mmsecmethods dhgroup14:aes256-sha256 mmkeylifetime 480min,0sess\n"
    "netsh advfirewall consec delete rule name=\xE2\x80\x9Ct 1\xE2\x80\x9D\n";

constexpr std::string_view listing =
    "Rule Name: web\n----\nEnabled: Yes\nEndpoint1: Any\nEndpoint2: 10.1.0.0/16\nPort2: 443\nProtocol: TCP\n"
    "Action: RequireInRequestOut\nAuth1: ComputerPSK\nAuth1PSK: 1\nMainModeSecMethods: DHGroup2-3DES-SHA1\n"
    "QuickModeSecMethods: ESP:SHA1-AES128+60min\nOk.\n";

void survives(std::string_view sample) {
    for (std::size_t n = 0; n <= sample.size(); ++n) (void)import_undecoded(sample.substr(0, n));
    for (std::size_t i = 0; i < sample.size(); ++i)
        for (const char c : {'\0', '"', '=', ',', '-', ' ', '\n', '\xE2', '+', ':', '|'}) {
            std::string damaged(sample);
            damaged[i] = c;
            const auto r = import_undecoded(damaged);
            CHECK(r.store.policies.size() <= 1);
        }
}

}  // namespace

TEST_CASE("every prefix and every one-byte corruption of a consec script imports without crashing") {
    survives(script);
}

TEST_CASE("every prefix and every one-byte corruption of a consec listing imports without crashing") {
    survives(listing);
}
