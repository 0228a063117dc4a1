// Windows' store semantics over files: domain replaces local while present,
// dynamic policy only once read while running, each source only its kind.
// Also: the kernel state of a real translation survives the JSON round trip
// the last-known-good file makes.
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "daemon/kernel_state_json.hpp"
#include "daemon/policy_sources.hpp"
#include "daemon/policy_translation.hpp"

using namespace winipsec;
using namespace winipsec::daemon;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char tmpl[] = "/tmp/wi-src-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

std::string static_policy(const std::string& name, int port) {
    return "netsh ipsec static add policy name=\"" + name + "\" activatedefaultrule=no\n" +
           "netsh ipsec static add filteraction name=\"Block\" action=block\n" +
           "netsh ipsec static add filter filterlist=\"L\" srcaddr=any dstaddr=me protocol=UDP dstport=" +
           std::to_string(port) + "\n" + "netsh ipsec static add rule name=\"r\" policy=\"" + name +
           "\" filterlist=\"L\" filteraction=\"Block\"\n" + "netsh ipsec static set policy name=\"" + name +
           "\" assign=yes\n";
}

PolicySource source(std::string path, SourceRole role = SourceRole::Local, SourceKind kind = SourceKind::Static) {
    PolicySource s;
    s.path = std::move(path);
    s.role = role;
    s.kind = kind;
    return s;
}

const Policy* assigned(const StoreReading& r) {
    return r.store->assigned_policy();
}

}  // namespace

TEST_CASE("a domain source replaces the local ones while its file exists") {
    TempDir dir;
    const auto local = dir.write("local.bat", static_policy("Local", 9));
    const auto domain = (dir.path / "domain.bat").string();
    PolicySources sources({source(local), source(domain, SourceRole::Domain)});
    auto without = sources.read({});
    REQUIRE(without);
    CHECK_FALSE(without->domain_present);
    REQUIRE(assigned(*without));
    CHECK(assigned(*without)->name == "Local");

    dir.write("domain.bat", static_policy("Domain", 10));
    auto with = sources.read({});
    REQUIRE(with);
    CHECK(with->domain_present);
    CHECK(with->store->policies.size() == 1);  // no merge: the local file is not even read
    REQUIRE(assigned(*with));
    CHECK(assigned(*with)->name == "Domain");
    CHECK(assigned(*with)->location == StoreLocation::Domain);
}

TEST_CASE("a missing local source is an error, a missing domain source is no GPO") {
    TempDir dir;
    PolicySources missing_local({source((dir.path / "nope.bat").string())});
    CHECK_FALSE(missing_local.read({}));
    const auto local = dir.write("local.bat", static_policy("Local", 9));
    PolicySources no_gpo({source(local), source((dir.path / "gpo/domain.bat").string(), SourceRole::Domain)});
    CHECK(no_gpo.read({}));
}

TEST_CASE("dynamic policy counts once read and committed, and only then") {
    TempDir dir;
    const auto local = dir.write("local.bat", static_policy("Local", 9));
    const auto dynamic = dir.write("dynamic.bat", "ipseccmd -f [*+0:11:UDP]\n");
    PolicySources sources({source(local), source(dynamic, SourceRole::Local, SourceKind::Dynamic)});
    auto start = sources.read({});  // start-up: dynamic files are not read
    REQUIRE(start);
    CHECK_FALSE(start->has_dynamic_policy);

    auto read = sources.read({dynamic});
    REQUIRE(read);
    CHECK(read->has_dynamic_policy);
    CHECK_FALSE(sources.holds_dynamic(dynamic));  // not applied yet
    auto again = sources.read({});
    REQUIRE(again);
    CHECK_FALSE(again->has_dynamic_policy);  // a failed apply leaves nothing held

    sources.commit(*read);
    CHECK(sources.holds_dynamic(dynamic));
    std::filesystem::remove(dynamic);
    auto held = sources.read({});  // the file is gone, the memory is not
    REQUIRE(held);
    CHECK(held->has_dynamic_policy);
    auto gone = sources.read({dynamic});  // until it is read again
    REQUIRE(gone);
    CHECK_FALSE(gone->has_dynamic_policy);
    sources.commit(*gone);
    CHECK_FALSE(sources.holds_dynamic(dynamic));
}

TEST_CASE("a source keeps only policy of its own kind") {
    TempDir dir;
    const auto mixed = dir.write("mixed.bat", static_policy("Local", 9) +
                                                  "netsh ipsec dynamic add rule srcaddr=any dstaddr=me protocol=UDP "
                                                  "dstport=11 mmpolicy=mm actioninbound=block actionoutbound=block\n");
    PolicySources as_static({source(mixed)});
    auto s = as_static.read({});
    REQUIRE(s);
    CHECK_FALSE(s->has_dynamic_policy);
    CHECK(s->diagnostics.count("W-DAEMON-SOURCE-KIND") == 1);

    PolicySources as_dynamic({source(mixed, SourceRole::Local, SourceKind::Dynamic)});
    auto d = as_dynamic.read({mixed});
    REQUIRE(d);
    CHECK(d->has_dynamic_policy);
    CHECK(d->store->assigned_policy() == nullptr);
    CHECK(d->diagnostics.count("W-DAEMON-SOURCE-KIND") == 1);
}

TEST_CASE("a translated policy's kernel state and IKE configuration survive the JSON round trip") {
    TempDir dir;
    const auto file = dir.write(
        "p.bat",
        static_policy("Local", 9) +
            "netsh ipsec static add filteraction name=\"Secure\" action=negotiate qmsecmethods=\"ESP[3DES,SHA1]\"\n"
            "netsh ipsec static add filter filterlist=\"Peer\" srcaddr=me dstaddr=192.0.2.1\n"
            "netsh ipsec static add filter filterlist=\"Sub\" srcaddr=198.51.100.0 srcmask=24 dstaddr=me "
            "protocol=TCP dstport=80\n"
            "netsh ipsec static add rule name=\"s\" policy=\"Local\" filterlist=\"Peer\" filteraction=\"Secure\" "
            "psk=\"k\"\n"
            "netsh ipsec static add rule name=\"w\" policy=\"Local\" filterlist=\"Sub\" filteraction=\"Block\"\n");
    PolicySources sources({source(file)});
    auto r = sources.read({});
    REQUIRE(r);
    plan::PlanOptions options;
    options.me = {*IpAddress::parse("192.0.2.2")};
    options.resolve_from_host = false;
    const auto t = translation::translate(r->store, options, {}, r->diagnostics);
    REQUIRE_FALSE(r->diagnostics.has_errors());
    REQUIRE_FALSE(t.kernel.xfrm.empty());
    REQUIRE_FALSE(t.ike.connections.empty());
    const auto kernel_json = kernel_state_to_json(t.kernel);
    auto kernel_back = kernel_state_from_json(kernel_json);
    REQUIRE(kernel_back);
    CHECK(kernel_state_to_json(*kernel_back) == kernel_json);
    CHECK(kernel_back->xfrm == t.kernel.xfrm);
    const auto ike_json = ike_config_to_json(t.ike, true);
    auto ike_back = ike_config_from_json(ike_json);
    REQUIRE(ike_back);
    CHECK(ike_config_to_json(*ike_back, true) == ike_json);
}
