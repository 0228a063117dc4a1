// The redacting printer: secrets never reach a trace or a diagnostic unless
// redaction is explicitly turned off.
#include <doctest/doctest.h>

#include "ike/vici_text.hpp"

using namespace winipsec::ike;

namespace {

ViciMessage load_shared_request() {
    ViciMessage message;
    message.add("id", "ike-gw").add("type", "IKE").add("data", "correct horse battery");
    message.add_list("owners", {"192.0.2.1", "192.0.2.2"});
    return message;
}

}  // namespace

TEST_SUITE("vici_text") {
    TEST_CASE("a load-shared request prints without its key") {
        std::string line = format_vici_inline(load_shared_request());
        CHECK(line == "{ id = ike-gw type = IKE data = ******** owners = [192.0.2.1, 192.0.2.2] }");
        CHECK(line.find("horse") == std::string::npos);
        std::string block = format_vici_block(load_shared_request());
        CHECK(block.find("horse") == std::string::npos);
        CHECK(block.find("data = ********\n") != std::string::npos);
    }

    TEST_CASE("secret key names are redacted at any depth, in lists, in any case") {
        ViciMessage message;
        ViciSection& inner = message.add_section("secrets").add_section("ike-1");
        inner.add("Secret", "s3cr3t").add("PIN", "1234").add("psk", "p").add("password", "pw");
        message.add_list("data", {"blob-1", "blob-2"});
        std::string text = format_vici_block(message);
        for (const char* leaked : {"s3cr3t", "1234", "blob-1", " p\n", "pw"})
            CHECK(text.find(leaked) == std::string::npos);
        CHECK(text ==
              "secrets {\n"
              "    ike-1 {\n"
              "        Secret = ********\n"
              "        PIN = ********\n"
              "        psk = ********\n"
              "        password = ********\n"
              "    }\n"
              "}\n"
              "data = [********, ********]\n");
        CHECK(is_secret_key("DATA"));
        CHECK_FALSE(is_secret_key("id"));
        CHECK_FALSE(is_secret_key("keys"));
    }

    TEST_CASE("ViciRedaction::None shows the secret, as --show-secrets asks") {
        CHECK(format_vici_inline(load_shared_request(), ViciRedaction::None).find("\"correct horse battery\"") !=
              std::string::npos);
    }

    TEST_CASE("values that are not plain words are quoted or hex-dumped") {
        ViciMessage message;
        message.add("msg", "say \"hi\"").add("bin", std::string("\x01\xff", 2)).add("empty", "");
        message.add("ts", "10.0.0.0/8[tcp/80]");
        CHECK(format_vici_inline(message) ==
              "{ msg = \"say \\\"hi\\\"\" bin = 0x01ff empty = \"\" ts = \"10.0.0.0/8[tcp/80]\" }");
        CHECK(format_vici_inline(ViciMessage{}) == "{}");
        CHECK(format_vici_block(ViciMessage{}).empty());
    }
}
