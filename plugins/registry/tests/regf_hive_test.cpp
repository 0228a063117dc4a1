// Binary regf hives (.ipsec files, `reg save` output) read through libhivex.
// Debian's libhivex ships no empty hive to start from, so blank_hive() lays
// out the smallest one libhivex accepts (a header block, one 4 KiB bin with a
// root key and its security cell); libhivex itself then adds the store's keys
// and values and writes the result.
#include <doctest/doctest.h>

#include <hivex.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "import/decoded_text.hpp"
#include "plugins/registry/reg_file_parser.hpp"
#include "plugins/registry/regf_hive_reader.hpp"
#include "plugins/registry/registry_text.hpp"
#include "registry_test_support.hpp"

using namespace winipsec;
using namespace winipsec::registry;
using namespace winipsec::registry::test;

namespace {

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<std::uint8_t>(v >> (8 * k));
}

// Offsets inside a hive are counted from the first bin, 0x1000 into the file.
Bytes blank_hive(std::string_view root_name) {
    Bytes h(0x2000, 0);
    std::copy_n("regf", 4, h.begin());
    put32(h, 0x04, 1);  // sequence numbers: equal = cleanly written
    put32(h, 0x08, 1);
    put32(h, 0x14, 1);  // version 1.3
    put32(h, 0x18, 3);
    put32(h, 0x20, 1);       // file format: direct memory load
    put32(h, 0x24, 0x20);    // root cell: the first cell of the first bin
    put32(h, 0x28, 0x1000);  // size of the bins
    put32(h, 0x2C, 1);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < 0x1FC; i += 4)
        sum ^= h[i] | (h[i + 1] << 8) | (h[i + 2] << 16) | (static_cast<std::uint32_t>(h[i + 3]) << 24);
    put32(h, 0x1FC, sum);

    const std::size_t bin = 0x1000;
    std::copy_n("hbin", 4, h.begin() + bin);
    put32(h, bin + 0x04, 0);
    put32(h, bin + 0x08, 0x1000);
    // root key node
    const std::size_t nk = bin + 0x20;
    const std::size_t nk_size = (0x50 + root_name.size() + 7) & ~std::size_t{7};
    put32(h, nk, static_cast<std::uint32_t>(-static_cast<std::int32_t>(nk_size)));
    h[nk + 4] = 'n', h[nk + 5] = 'k';
    put16(h, nk + 6, 0x2C);           // hive entry, not deletable, ASCII name
    put32(h, nk + 0x14, 0xFFFFFFFF);  // parent
    put32(h, nk + 0x20, 0xFFFFFFFF);  // subkey list
    put32(h, nk + 0x24, 0xFFFFFFFF);  // volatile subkey list
    put32(h, nk + 0x2C, 0xFFFFFFFF);  // value list
    const std::size_t sk = nk + nk_size;
    put32(h, nk + 0x30, static_cast<std::uint32_t>(sk - bin));
    put32(h, nk + 0x34, 0xFFFFFFFF);  // class name
    put16(h, nk + 0x4C, static_cast<std::uint16_t>(root_name.size()));
    std::copy(root_name.begin(), root_name.end(), h.begin() + static_cast<std::ptrdiff_t>(nk + 0x50));
    // security cell with an empty self-relative descriptor
    const std::size_t sk_size = 0x30;
    put32(h, sk, static_cast<std::uint32_t>(-static_cast<std::int32_t>(sk_size)));
    h[sk + 4] = 's', h[sk + 5] = 'k';
    put32(h, sk + 0x08, static_cast<std::uint32_t>(sk - bin));  // next and previous: itself
    put32(h, sk + 0x0C, static_cast<std::uint32_t>(sk - bin));
    put32(h, sk + 0x10, 1);       // references
    put32(h, sk + 0x14, 20);      // descriptor size
    h[sk + 0x18] = 1;             // revision
    put16(h, sk + 0x1A, 0x8000);  // self-relative
    // the rest of the bin is one free cell
    const std::size_t free_cell = sk + sk_size;
    put32(h, free_cell, static_cast<std::uint32_t>(bin + 0x1000 - free_cell));
    return h;
}

struct TempFile {
    std::string path;
    explicit TempFile(const Bytes& contents) {
        char name[] = "/tmp/winipsec-hive-XXXXXX";
        const int fd = mkstemp(name);
        REQUIRE(fd >= 0);
        close(fd);
        path = name;
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(contents.data()), static_cast<std::streamsize>(contents.size()));
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string read() const {
        std::ifstream in(path, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
};

struct HiveCloser {
    void operator()(hive_h* h) const { hivex_close(h); }
};

// What `reg save HKLM\...\IPSec\Policy\Local store.hiv` would give for the E19
// store: the Local key is the hive's root, the objects its subkeys.
std::string e19_hive() {
    auto text = decode_bytes(e19_reg_file(), "e19.reg");
    REQUIRE(text);
    RegistryTree tree;
    Diagnostics diagnostics;
    REQUIRE(read_reg_file(*text, tree, diagnostics));

    const TempFile blank(blank_hive("CMI-CreateHive{2A7FB991-7BBE-4F9D-B91E-7CB51D4737F5}"));
    std::unique_ptr<hive_h, HiveCloser> hive(hivex_open(blank.path.c_str(), HIVEX_OPEN_WRITE));
    REQUIRE_MESSAGE(hive, "libhivex refused the blank hive");
    const hive_node_h root = hivex_root(hive.get());
    for (const RegistryKey* key : tree.keys()) {
        const bool container = key->leaf() == "Local";
        const hive_node_h node =
            container ? root : hivex_node_add_child(hive.get(), root, std::string(key->leaf()).c_str());
        REQUIRE(node != 0);
        std::vector<std::string> names;
        names.reserve(key->values.size());
        std::vector<hive_set_value> values;
        for (const auto& v : key->values) {
            names.push_back(v.name);
            values.push_back({names.back().data(), static_cast<hive_type>(v.type), v.data.size(),
                              reinterpret_cast<char*>(const_cast<std::uint8_t*>(v.data.data()))});
        }
        REQUIRE(hivex_node_set_values(hive.get(), node, values.size(), values.data(), 0) == 0);
    }
    const TempFile out(Bytes{});
    REQUIRE(hivex_commit(hive.get(), out.path.c_str(), 0) == 0);
    return out.read();
}

}  // namespace

TEST_CASE("libhivex accepts the blank hive this test lays out") {
    const TempFile blank(blank_hive("ROOT"));
    std::unique_ptr<hive_h, HiveCloser> hive(hivex_open(blank.path.c_str(), 0));
    REQUIRE(hive);
    const std::string bytes = blank.read();
    RegistryTree tree;
    REQUIRE(read_regf_hive(bytes, std::make_shared<const std::string>("blank.hiv"), tree));
    CHECK(tree.size() == 1);
    CHECK(tree.find("ROOT"));
}

TEST_CASE("a regf hive of the E19 store imports like its .reg export") {
    const std::string hive = e19_hive();
    CHECK(is_regf_hive(hive));
    const auto from_hive = import_bytes(hive, "policy.ipsec");
    const auto from_reg = import_bytes(e19_reg_file());
    // the hive's root key is the store: its kind is not in a name
    CHECK(from_hive.codes() == "N-REG-STORE-LOCATION:1");
    REQUIRE(from_hive.store.policies.size() == 1);
    const Policy& p = from_hive.store.policies[0];
    CHECK(p.assigned);
    CHECK(p.location == StoreLocation::Local);
    REQUIRE(p.rules.size() == 2);
    CHECK(p.rules[0].authentication.at(0).preshared_key ==
          from_reg.store.policies[0].rules[0].authentication.at(0).preshared_key);
    REQUIRE(from_hive.store.filter_lists.size() == 1);
    CHECK(from_hive.store.filter_lists[0].filters.at(0).destination.to_string() == "203.0.113.10");
    CHECK(from_hive.store.filter_actions.size() == 1);
    CHECK(from_hive.store.filter_actions[0].offers == from_reg.store.filter_actions[0].offers);
}

TEST_CASE("a damaged hive is a clear error that says how to export the store instead") {
    std::string hive = e19_hive();
    hive[0x1FC] ^= 0x55;  // header checksum
    const auto s = import_bytes(hive, "policy.ipsec");
    CHECK(s.codes() == "E-REG-HIVE-UNREADABLE:1");
    CHECK(s.first("E-REG-HIVE-UNREADABLE")
              ->message.find("reg export HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local") !=
          std::string::npos);
    CHECK(s.store.policies.empty());
}

TEST_CASE("an .ipsec file that is no hive is refused with the same advice") {
    std::string not_a_hive("\x01\x00\x02\x00\xff\xfe\x00\x00binary policy export\x00\x00", 28);
    const auto s = import_bytes(not_a_hive, "policy.ipsec");
    CHECK(s.codes() == "E-REG-NOT-A-HIVE:1");
    CHECK(s.first("E-REG-NOT-A-HIVE")->message.find("regedit") != std::string::npos);
}
