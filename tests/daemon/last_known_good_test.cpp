// The last-known-good file: what goes in comes back, it is 0600 from the
// start (pre-shared keys), and a damaged file is refused, not half-read.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "daemon/fail_closed.hpp"
#include "daemon/kernel_state_json.hpp"
#include "daemon/last_known_good.hpp"
#include "kernel/xfrm_policy.hpp"

using namespace winipsec;
using namespace winipsec::daemon;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char tmpl[] = "/tmp/wi-lkg-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

LastKnownGood sample() {
    LastKnownGood lkg;
    lkg.kernel = fail_closed_state();
    kernel::NftSet set;
    set.name = "c0";
    set.key = {{kernel::NftKeyField::Ip4Source, 24}, {kernel::NftKeyField::DestinationPort, 0}};
    kernel::NftSetElement e;
    e.key = {kernel::NftValue{192, 0, 2, 0}, kernel::NftValue{0, 9}};
    e.comment = "a.bat:3:1";
    set.elements.push_back(e);
    lkg.kernel.nft.sets.push_back(set);
    kernel::XfrmPolicy p;
    p.selector = kernel::XfrmSelector::make(plan::Prefix::of(*IpAddress::parse("192.0.2.0"), 24),
                                            plan::Prefix::host(*IpAddress::parse("198.51.100.2")), 17, 0, 500);
    p.dir = kernel::XfrmDir::In;
    p.priority = 1100;
    p.index = kernel::xfrm_index(7, kernel::XfrmDir::In);
    kernel::XfrmTemplate t;
    t.mode = kernel::XfrmMode::Tunnel;
    t.source = IpAddress::parse("192.0.2.1");
    t.destination = IpAddress::parse("192.0.2.2");
    t.reqid = 0x01000042;
    p.templates.push_back(t);
    p.origin = "a.bat:4:1";
    lkg.kernel.xfrm.push_back(p);
    ike::IkeConnection c;
    c.name = "winipsec-p-r";
    c.remote_addrs = {"192.0.2.1"};
    ike::IkeChild child;
    child.name = "f1";
    child.local_ts = {"dynamic[udp/500]"};
    child.reqid = 0x01000042;
    c.children.push_back(child);
    lkg.ike.connections.push_back(c);
    ike::IkeSharedKey key;
    key.id = "winipsec-p-r";
    key.secret = Secret("s3cret");
    key.owners = {"192.0.2.1"};
    lkg.ike.shared_keys.push_back(key);
    lkg.me = {*IpAddress::parse("198.51.100.2")};
    lkg.policy = "P";
    lkg.sources = {"/etc/winipsec/a.bat"};
    lkg.rules = 4;
    return lkg;
}

}  // namespace

TEST_CASE("last-known-good round trip") {
    TempDir dir;
    const LastKnownGood written = sample();
    REQUIRE(write_last_known_good(dir.path, written));
    auto read = read_last_known_good(dir.path);
    REQUIRE(read);
    REQUIRE(read->has_value());
    const LastKnownGood& back = **read;
    CHECK(kernel_state_to_json(back.kernel) == kernel_state_to_json(written.kernel));
    CHECK(ike_config_to_json(back.ike, true) == ike_config_to_json(written.ike, true));
    CHECK(back.ike.shared_keys.front().secret.reveal() == "s3cret");
    CHECK(back.kernel.xfrm.front() == written.kernel.xfrm.front());
    CHECK(back.me == written.me);
    CHECK(back.policy == "P");
    CHECK(back.rules == 4);
    CHECK_FALSE(back.written_at.empty());
}

TEST_CASE("last-known-good is root's alone and leaves no temporary file") {
    TempDir dir;
    REQUIRE(write_last_known_good(dir.path, sample()));
    struct stat st {};
    REQUIRE(::stat(last_known_good_path(dir.path).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
}

TEST_CASE("no file is no last-known-good; a damaged one is an error; a stale temporary is removed") {
    TempDir dir;
    auto none = read_last_known_good(dir.path);
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    REQUIRE(write_last_known_good(dir.path, sample()));
    std::ofstream(dir.path / ".last-known-good.json.999") << "{\"half";
    {
        std::ifstream in(last_known_good_path(dir.path));
        std::string text((std::istreambuf_iterator<char>(in)), {});
        std::ofstream(last_known_good_path(dir.path)) << text.substr(0, text.size() / 2);
    }
    auto damaged = read_last_known_good(dir.path);
    CHECK_FALSE(damaged);
    CHECK_FALSE(std::filesystem::exists(dir.path / ".last-known-good.json.999"));
}

TEST_CASE("the IKE configuration without secrets shows none") {
    const auto j = ike_config_to_json(sample().ike, false);
    CHECK(j.dump().find("s3cret") == std::string::npos);
}
