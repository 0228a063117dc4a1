// Every blob kind truncated at every offset, every u32 overwritten with lying
// lengths, and random bytes flipped over many seeds: decoding either succeeds
// or returns an error naming a byte offset inside the blob -- it never crashes
// or reads past the end. (Run under -Db_sanitize=address,undefined to prove
// the latter.)
#include <doctest/doctest.h>

#include <functional>
#include <random>

#include "plugins/registry/blob_filter.hpp"
#include "plugins/registry/blob_isakmp.hpp"
#include "plugins/registry/blob_negotiation.hpp"
#include "plugins/registry/blob_nfa.hpp"
#include "plugins/registry/blob_policy.hpp"
#include "import/decoded_text.hpp"
#include "plugins/registry/reg_file_parser.hpp"
#include "plugins/registry/registry_tree.hpp"
#include "plugins/registry/store_resolver.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

namespace {

// A decode outcome reduced to what the tests assert.
struct Outcome {
    bool ok = false;
    std::size_t error_offset = 0;
    std::string message;
};

template <class F>
Outcome outcome_of(F decode, std::span<const std::uint8_t> blob) {
    const auto r = decode(blob);
    if (r) return {true, 0, {}};
    return {false, r.error().offset, r.error().message};
}

struct BlobKind {
    const char* name;
    Bytes blob;
    std::function<Outcome(std::span<const std::uint8_t>)> decode;
};

std::vector<BlobKind> blob_kinds() {
    auto policy = [](auto b) { return outcome_of(decode_policy_blob, b); };
    auto filter = [](auto b) { return outcome_of(decode_filter_blob, b); };
    auto isakmp = [](auto b) { return outcome_of(decode_isakmp_blob, b); };
    auto nfa = [](auto b) { return outcome_of(decode_nfa_blob, b); };
    auto negotiation = [](auto b) { return outcome_of(decode_negotiation_blob, b); };
    return {
        {"policy", vector::policy(), policy},
        {"filter list", vector::filter_list(), filter},
        {"filter list (Windows 10 lengths)", win10_filter_list(), filter},
        {"filter list with a V2 section", v2_filter_list(), filter},
        {"ISAKMP", vector::isakmp(), isakmp},
        {"rule", vector::rule(), nfa},
        {"rule with Vista+ sections", vista_rule(), nfa},
        {"default response rule", vector::default_response_rule(), nfa},
        {"filter action", vector::filter_action(), negotiation},
        {"default response action", vector::default_response_action(), negotiation},
    };
}

std::uint32_t data_length(const Bytes& b) {
    return b[16] | (b[17] << 8) | (b[18] << 16) | (static_cast<std::uint32_t>(b[19]) << 24);
}

void put_u32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<std::uint8_t>(v >> (8 * k));
}

void check_error_is_located(const Outcome& o, std::size_t size) {
    if (o.ok) return;
    CHECK(o.error_offset <= size);
    CHECK(o.message.find("byte offset") != std::string::npos);
}

}  // namespace

TEST_CASE("every blob kind decodes whole, and fails cleanly when cut anywhere inside its counted data") {
    for (const auto& kind : blob_kinds()) {
        INFO(kind.name);
        REQUIRE(kind.decode(kind.blob).ok);
        // The Windows 10 filter list counts 4 bytes less than its records.
        const std::size_t counted =
            20 + data_length(kind.blob) + (kind.name == std::string("filter list (Windows 10 lengths)") ? 4 : 0);
        for (std::size_t n = 0; n < kind.blob.size(); ++n) {
            // a fresh, exactly sized copy: any read past n is an over-read ASan sees
            const Bytes cut(kind.blob.begin(), kind.blob.begin() + static_cast<std::ptrdiff_t>(n));
            const Outcome o = kind.decode(cut);
            INFO("cut at " << n);
            if (n < counted) CHECK_FALSE(o.ok);
            check_error_is_located(o, n);
        }
    }
}

TEST_CASE("lying lengths: every u32 of every blob set to 0, 1, odd, one past, huge") {
    const std::uint32_t lies[] = {0, 1, 3, 0x4b, 0x101, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFF0};
    std::size_t decodes = 0;
    for (const auto& kind : blob_kinds()) {
        INFO(kind.name);
        for (std::size_t at = 0; at + 4 <= kind.blob.size(); ++at)
            for (const auto lie : lies) {
                Bytes b = kind.blob;
                put_u32(b, at, lie);
                check_error_is_located(kind.decode(b), b.size());
                ++decodes;
            }
        // DataLength itself: past the end of the blob is always an error
        const auto one_past = static_cast<std::uint32_t>(kind.blob.size() - 20 + 1);
        for (const std::uint32_t lie : {one_past, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
            Bytes b = kind.blob;
            put_u32(b, 16, lie);
            const Outcome o = kind.decode(b);
            CHECK_FALSE(o.ok);
            CHECK(o.error_offset == 16);
        }
    }
    CHECK(decodes > 10000);
}

TEST_CASE("counts that the data cannot hold are refused before anything is allocated for them") {
    Bytes filter = vector::filter_list();
    put_u32(filter, 20, 0xFFFFFFFF);
    const auto f = decode_filter_blob(filter);
    REQUIRE_FALSE(f);
    CHECK(f.error().offset == 20);
    CHECK(f.error().message.find("Count 4294967295") != std::string::npos);

    Bytes action = vector::filter_action();
    put_u32(action, 20, 2);  // two offers, room for one
    const auto a = decode_negotiation_blob(action);
    REQUIRE_FALSE(a);
    CHECK(a.error().message.find("OfferCount 2 needs 160 bytes") != std::string::npos);

    Bytes rule = vector::rule();
    put_u32(rule, 28, 15);  // odd PSK length
    const auto r = decode_nfa_blob(rule);
    REQUIRE_FALSE(r);  // the odd length makes everything after it wrong
    CHECK(r.error().message.find("byte offset") != std::string::npos);
    CHECK(r.error().message.find("secret") == std::string::npos);  // never quote a key
}

TEST_CASE("random byte flips over many seeds never crash a decoder") {
    std::size_t decodes = 0, errors = 0;
    for (const auto& kind : blob_kinds()) {
        INFO(kind.name);
        for (std::uint32_t seed = 0; seed < 3000; ++seed) {
            std::mt19937 rng(seed);
            Bytes b = kind.blob;
            const int flips = 1 + static_cast<int>(rng() % 8);
            for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
            const Outcome o = kind.decode(b);
            check_error_is_located(o, b.size());
            ++decodes;
            errors += o.ok ? 0 : 1;
        }
    }
    CHECK(decodes == 30000);
    CHECK(errors > 0);
}

TEST_CASE("random byte flips through the whole store resolver never crash it") {
    // The E19 store as a tree; each round corrupts the ipsecData of one object.
    const auto text = decode_bytes(e19_reg_file(), "e19.reg");
    REQUIRE(text);
    RegistryTree base;
    Diagnostics read_diagnostics;
    REQUIRE(read_reg_file(*text, base, read_diagnostics));
    std::size_t rounds = 0, findings = 0;
    for (const RegistryKey* object : base.keys()) {
        if (!object->value("ipsecData")) continue;
        for (std::uint32_t seed = 0; seed < 300; ++seed) {
            std::mt19937 rng(seed);
            RegistryTree tree = base;
            RegistryKey& key = tree.open(object->path, {});
            RegistryValue v = *key.value("ipsecData");
            for (int k = 0, n = 1 + static_cast<int>(rng() % 6); k < n; ++k)
                v.data[rng() % v.data.size()] = static_cast<std::uint8_t>(rng());
            tree.set(key, v);
            PolicyStore store;
            Diagnostics diagnostics;
            apply_registry_store(tree, store, diagnostics);
            ++rounds;
            findings += diagnostics.all().size();
        }
    }
    CHECK(rounds == 7 * 300);
    CHECK(findings > 0);
}
