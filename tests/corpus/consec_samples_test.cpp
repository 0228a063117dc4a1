// Pinned outcomes of the connection-security samples (../shared/corpus/windows,
// spec windows-ipsec.md §11): what maps to the legacy model, and each option
// that does not, named at its place.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "corpus_sample.hpp"
#include "import/decoded_text.hpp"
#include "import/format_table.hpp"

using namespace winipsec;
using winipsec::corpus::code_summary;
using winipsec::corpus::import_sample;
using winipsec::corpus::rule_count;

namespace {

const Policy* consec_policy(const PolicyStore& store) {
    return store.find_policy("advfirewall consec");
}

const Rule& rule(const PolicyStore& store, std::string_view name) {
    const Policy* p = consec_policy(store);
    REQUIRE(p);
    for (const auto& r : p->rules)
        if (r.name == name) return r;
    FAIL("no rule " << name);
    throw std::logic_error("unreachable");
}

const std::vector<Filter>& filters(const PolicyStore& store, const Rule& r) {
    const auto* list = store.find_filter_list(r.filter_list);
    REQUIRE(list);
    return list->filters;
}

const FilterAction& action(const PolicyStore& store, const Rule& r) {
    const auto* a = store.find_filter_action(r.filter_action);
    REQUIRE(a);
    return *a;
}

// Line `number` (1-based) of a sample, as bytes.
std::string sample_line(const char* file, int number) {
    std::ifstream in(*corpus::corpus_dir() / file, std::ios::binary);
    std::string line;
    for (int n = 0; n < number; ++n) std::getline(in, line);
    return line;
}

std::vector<std::string> messages(const Diagnostics& d, std::string_view code) {
    std::vector<std::string> out;
    for (const auto& x : d.all())
        if (x.code == code) out.push_back(x.where.to_string() + " " + x.message);
    return out;
}

}  // namespace

TEST_CASE("#30 PSK rule to localsubnet: refused, because `localsubnet` has no legacy address kind") {
    const char* file = "30-sec505-consec-psk-localsubnet-port-list.consec.txt";
    const auto r = import_sample(file, "consec");
    CHECK(code_summary(r.diagnostics) == "E-CONSEC-UNSUPPORTED:1 N-CONSEC-COMMENTED-OUT:1");
    const auto refused = messages(r.diagnostics, "E-CONSEC-UNSUPPORTED");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].starts_with(std::string(file) + ":3:88 endpoint2=localsubnet:"));
    CHECK(refused[0].find("'Testing-IPSec-NETSH' is not imported") != std::string::npos);
    CHECK(rule_count(r.store) == 0);
    CHECK(r.store.filter_lists.empty());
}

TEST_CASE("#30 with the subnet written out: seven mirrored TCP filters, PSK, disabled") {
    // The sample's command with localsubnet replaced by a subnet: everything else maps.
    std::string line = sample_line("30-sec505-consec-psk-localsubnet-port-list.consec.txt", 3);
    line.replace(line.find("localsubnet"), 11, "192.168.1.0/24");
    const auto decoded = decode_bytes(line + "\n", "30-edited.bat");
    REQUIRE(decoded.has_value());
    PolicyStore store;
    Diagnostics d;
    find_format("consec")->importer.import(*decoded, {}, store, d);
    CHECK(code_summary(d) == "N-CONSEC-DEFAULT-METHODS:1");  // no qmsecmethods
    const Rule& r = rule(store, "Testing-IPSec-NETSH");
    CHECK_FALSE(r.active);  // enable=no
    REQUIRE(r.authentication.size() == 1);
    CHECK(r.authentication[0].kind == AuthKind::PresharedKey);
    CHECK(r.authentication[0].preshared_key.reveal() == "ThePreSharedKey");
    const auto& fs = filters(store, r);
    REQUIRE(fs.size() == 7);
    const std::uint16_t ports[] = {3389, 135, 139, 445, 21, 20, 23};
    for (std::size_t i = 0; i < fs.size(); ++i) {
        CHECK(fs[i].source.kind == AddressKind::Any);
        CHECK(fs[i].source_port == 0);
        CHECK(fs[i].destination.to_string() == "192.168.1.0/24");
        CHECK(fs[i].destination_port == ports[i]);  // port2 belongs to endpoint2
        CHECK(fs[i].protocol == protocol::tcp);
        CHECK(fs[i].mirrored);
    }
    CHECK(action(store, r).fallback_to_clear);          // request out
    CHECK_FALSE(action(store, r).inbound_passthrough);  // require in
}

TEST_CASE("#31 docs examples: Kerberos rules and a tunnel map; profile, NTLM and auth2 are refused") {
    const char* file = "31-itprodocs-consec-domain-isolation-tunnel-smart-quotes.consec.txt";
    const auto r = import_sample(file, "consec");
    CHECK(code_summary(r.diagnostics) ==
          "E-CONSEC-UNSUPPORTED:3 N-CONSEC-DEFAULT-METHODS:1 N-CONSEC-NO-EFFECT:1 "
          "N-CONSEC-STORE:3");
    const auto refused = messages(r.diagnostics, "E-CONSEC-UNSUPPORTED");
    REQUIRE(refused.size() == 3);
    CHECK(refused[0].starts_with(std::string(file) + ":9:72 profile=domain:"));  // smart-quoted rule name read
    CHECK(refused[0].find("'Basic Domain Isolation Policy'") != std::string::npos);
    CHECK(refused[1].starts_with(std::string(file) + ":11:133 auth1=computerkerb,computerntlm:"));
    CHECK(refused[2].starts_with(std::string(file) + ":11:165 auth2=userkerb,userntlm,anonymous:"));

    const Policy* p = consec_policy(r.store);
    REQUIRE(p);
    CHECK(p->assigned);
    CHECK(rule_count(r.store) == 4);
    // 1: any <-> any, require in / request out, Windows' default Kerberos and offers
    const Rule& in = rule(r.store, "Require Inbound Authentication");
    REQUIRE(filters(r.store, in).size() == 1);
    CHECK(filters(r.store, in)[0].source.kind == AddressKind::Any);
    CHECK(filters(r.store, in)[0].mirrored);
    CHECK(in.authentication_defaulted);
    CHECK(action(r.store, in).fallback_to_clear);
    CHECK_FALSE(action(r.store, in).inbound_passthrough);
    CHECK(action(r.store, in).offers_defaulted);
    // 2: AH SHA1 + ESP 3DES/SHA1
    const Rule& out = rule(r.store, "Require Outbound Authentication");
    const auto& offers = action(r.store, out).offers;
    REQUIRE(offers.size() == 1);
    CHECK(offers[0].ah == Integrity::Sha1);
    CHECK(offers[0].esp == EspTransform{Cipher::TripleDes, Integrity::Sha1});
    // 3: the tunnel, as two gateway rules
    const Rule& t_out = rule(r.store, "Tunnel from 192.168.0.0/16 to 192.157.0.0/16 (outbound)");
    const Rule& t_in = rule(r.store, "Tunnel from 192.168.0.0/16 to 192.157.0.0/16 (inbound)");
    REQUIRE(t_out.tunnel_endpoint);
    REQUIRE(t_in.tunnel_endpoint);
    CHECK(t_out.tunnel_endpoint->to_string() == "2.2.2.2");
    CHECK(t_in.tunnel_endpoint->to_string() == "1.1.1.1");
    REQUIRE(filters(r.store, t_out).size() == 1);
    CHECK(filters(r.store, t_out)[0].source.to_string() == "192.168.0.0/16");
    CHECK(filters(r.store, t_out)[0].destination.to_string() == "192.157.0.0/16");
    CHECK_FALSE(filters(r.store, t_out)[0].mirrored);
    CHECK(filters(r.store, t_in)[0].source.to_string() == "192.157.0.0/16");
    CHECK(action(r.store, t_out).action == ActionKind::Negotiate);
    CHECK_FALSE(action(r.store, t_out).fallback_to_clear);
}

TEST_CASE("#32 Suite B: the ECDSA/GMAC rule is refused, the RSA certificate rule with SHA-256/AES-192 maps") {
    const char* file = "32-suiteb-consec-escaped-quote-ca-names.consec.txt";
    const auto r = import_sample(file, "consec");
    CHECK(code_summary(r.diagnostics) == "E-CONSEC-UNSUPPORTED:2");
    const auto refused = messages(r.diagnostics, "E-CONSEC-UNSUPPORTED");
    REQUIRE(refused.size() == 2);
    CHECK(refused[0].starts_with(std::string(file) + ":3:157 auth1=computercert,computercertecdsap256:"));
    CHECK(refused[1].starts_with(std::string(file) + ":3:425 qmsecmethods=ah:aesgmac256+esp:aesgmac256-none:"));
    CHECK(rule_count(r.store) == 1);
    const Rule& test2 = rule(r.store, "test2");
    CHECK(test2.description == "Use SHA 256 for Integrity and AES192 for encryption");
    REQUIRE(test2.authentication.size() == 1);
    CHECK(test2.authentication[0].kind == AuthKind::Certificate);
    // \' in the quoted CA name stands for a double quote (netsh help)
    CHECK(test2.authentication[0].certificate_ca ==
          "C=US, O=MSFT, CN=\"Microsoft North, South, East, and West Root Authority\"");
    const FilterAction& a = action(r.store, test2);
    CHECK(a.action == ActionKind::Negotiate);
    CHECK(a.inbound_passthrough);  // request in
    CHECK(a.fallback_to_clear);    // request out
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].ah == Integrity::Sha256);
    CHECK(a.offers[0].esp == EspTransform{Cipher::Aes192, Integrity::Sha256});
    CHECK(test2.where.to_string() == std::string(file) + ":4:2");
}

TEST_CASE("#36 consec show rule output: ECDH main mode and AES-GCM quick mode cannot be legacy policy") {
    const char* file = "36-suiteb-consec-show-rule-all-output.showall.txt";
    const auto r = import_sample(file, "consec");
    CHECK(code_summary(r.diagnostics) == "E-CONSEC-UNSUPPORTED:2");
    const auto refused = messages(r.diagnostics, "E-CONSEC-UNSUPPORTED");
    REQUIRE(refused.size() == 2);
    // "MainModeSecMethods ECDHP384-..." and "QuickModeSecMethodsAH:..." lost their colons in the KB
    CHECK(refused[0].starts_with(std::string(file) + ":14:1 MainModeSecMethods ECDHP384-3DES-SHA256"));
    CHECK(refused[1].starts_with(std::string(file) + ":15:1 qmsecmethods=AH:AESGMAC256+ESP:AESGCM256"));
    CHECK(refused[1].find("'test' is not imported") != std::string::npos);
    CHECK(rule_count(r.store) == 0);
    CHECK(r.store.policies.empty());
}

TEST_CASE("format detection sends each sample to its importer") {
    for (const auto& [file, format] :
         {std::pair{"30-sec505-consec-psk-localsubnet-port-list.consec.txt", "consec"},
          {"31-itprodocs-consec-domain-isolation-tunnel-smart-quotes.consec.txt", "consec"},
          {"32-suiteb-consec-escaped-quote-ca-names.consec.txt", "consec"},
          {"36-suiteb-consec-show-rule-all-output.showall.txt", "consec"},
          {"35-mskb813878-netdiag-test-ipsec-debug-output.showall.txt", "netdiag"},
          // netsh files with one consec line stay with the netsh importer
          {"94-unattrib-btfm-ocr-pdf-wrapped-commands.netsh.txt", "netsh"},
          {"95-unattrib-btfm-derived-shell-vars-typos.netsh.txt", "netsh"}}) {
        CAPTURE(file);
        const auto text = read_and_decode((*corpus::corpus_dir() / file).string());
        REQUIRE(text.has_value());
        const FormatEntry* detected = detect_format(*text);
        REQUIRE(detected);
        CHECK(detected->name == format);
    }
}
