// The -f filter spec grammar (ipseccmd_filter_spec.cpp; spec windows-ipsec.md §6.2).
#include <doctest/doctest.h>

#include "ipseccmd_test_support.hpp"
#include "plugins/ipseccmd/ipseccmd_codes.hpp"
#include "plugins/ipseccmd/ipseccmd_filter_spec.hpp"

using namespace winipsec;
using namespace winipsec::ipseccmd;
using namespace winipsec::ipseccmd::test;

namespace {

struct Parsed {
    ScriptLine line;  // the words point into it
    std::optional<FilterSpec> spec;
    Diagnostics diagnostics;
};

// Parses `text` as one spec; the spec starts at column 1.
std::unique_ptr<Parsed> parse(const std::string& text) {
    auto p = std::make_unique<Parsed>();
    p->line = make_line(text);
    p->spec = parse_filter_spec(Word::of_line(p->line), p->diagnostics);
    return p;
}

struct ParsedList {
    ScriptLine line;
    std::optional<std::vector<FilterSpec>> specs;
    Diagnostics diagnostics;
};

// Parses `text` as the value list of -f (blank separated), starting at column 1.
std::unique_ptr<ParsedList> parse_list(const std::string& text) {
    auto p = std::make_unique<ParsedList>();
    p->line = make_line(text);
    p->specs = parse_filter_list({Word::of_line(p->line)}, p->diagnostics);
    return p;
}

IpAddress v4(const char* text) {
    return *IpAddress::parse(text);
}

// The one diagnostic of `d` (REQUIREs there is exactly one).
const Diagnostic& only(const Diagnostics& d) {
    REQUIRE(d.all().size() == 1);
    return d.all().front();
}

}  // namespace

TEST_CASE("'=' is one direction, '+' is mirrored (not the other way round)") {
    auto p = parse("*=0:1434:UDP");
    REQUIRE(p->spec);
    const Filter& f = p->spec->filter;
    CHECK(p->spec->kind == SpecKind::Plain);
    CHECK(f.source.kind == AddressKind::Any);
    CHECK(f.destination.kind == AddressKind::Me);
    CHECK(f.source_port == 0);
    CHECK(f.destination_port == 1434);
    CHECK(f.protocol == protocol::udp);
    CHECK_FALSE(f.mirrored);
    CHECK(p->spec->direction.column == 2);
    CHECK(p->diagnostics.all().empty());

    p = parse("0=*:1434:UDP");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.kind == AddressKind::Me);
    CHECK(p->spec->filter.destination.kind == AddressKind::Any);

    p = parse("0+*");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.mirrored);
    CHECK(p->spec->filter.protocol == protocol::any);
}

TEST_CASE("an empty destination port before the protocol: 0:80+*::TCP (E5)") {
    auto p = parse("0:80+*::TCP");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.kind == AddressKind::Me);
    CHECK(p->spec->filter.source_port == 80);
    CHECK(p->spec->filter.destination_port == 0);
    CHECK(p->spec->filter.protocol == protocol::tcp);
    CHECK(p->spec->filter.mirrored);

    p = parse("*+0:80:tcp");  // protocol names in any case
    REQUIRE(p->spec);
    CHECK(p->spec->filter.protocol == protocol::tcp);
    p = parse("0+*::ICMP");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.protocol == protocol::icmp);
    p = parse("0+*::47");  // GRE by number
    REQUIRE(p->spec);
    CHECK(p->spec->filter.protocol == 47);
    p = parse("0+*::RAW");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.protocol == protocol::raw);
    p = parse("*=0:");  // an empty port and no protocol
    REQUIRE(p->spec);
    CHECK(p->spec->filter.destination_port == 0);
}

TEST_CASE("'0+*:TCP' reads TCP as the destination port (E18)") {
    const auto p = parse("0+*:TCP");
    CHECK_FALSE(p->spec);
    const auto& d = only(p->diagnostics);
    CHECK(d.code == code::bad_port);
    CHECK(d.where.column == 5);
    CHECK(d.message.find("0+*::TCP") != std::string::npos);
    // on the source side the hint says where protocols go
    const auto q = parse("0:TCP+*");
    CHECK(only(q->diagnostics).code == code::bad_port);
    CHECK(only(q->diagnostics).message.find("goes last") != std::string::npos);
}

TEST_CASE("addresses: me, any, hosts, masks, prefixes and wildcard octets") {
    auto p = parse("0+10.1.0.0/255.255.0.0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.destination.kind == AddressKind::Specific);
    CHECK(p->spec->filter.destination.address == v4("10.1.0.0"));
    CHECK(p->spec->filter.destination.prefix_length == 16);
    CHECK(p->spec->filter.destination.mask_given);

    p = parse("0+10.1.0.0/16");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.destination.prefix_length == 16);

    p = parse("192.168.1.5+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.address == v4("192.168.1.5"));
    CHECK(p->spec->filter.source.prefix_length == 32);
    CHECK_FALSE(p->spec->filter.source.mask_given);

    p = parse("10.1.*.*+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.address == v4("10.1.0.0"));
    CHECK(p->spec->filter.source.prefix_length == 16);
    p = parse("10.*.*.*+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.prefix_length == 8);
    p = parse("10.1.2.*+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.prefix_length == 24);
    p = parse("*.*.*.*+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.kind == AddressKind::Any);

    p = parse("0/255.255.255.255=*");  // me with its natural mask (§3.3)
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.kind == AddressKind::Me);
    CHECK(p->diagnostics.all().empty());
    p = parse("0.0.0.0/0+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.kind == AddressKind::Any);
}

TEST_CASE("addresses: odd masks warn, broken ones are errors") {
    auto p = parse("0+10.1.2.3/16");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.destination.address == v4("10.1.0.0"));
    CHECK(only(p->diagnostics).code == code::host_bits);
    CHECK(only(p->diagnostics).where.column == 3);

    p = parse("0/24+*");
    REQUIRE(p->spec);
    CHECK(only(p->diagnostics).code == code::mask_ignored);
    p = parse("0+*/8");
    REQUIRE(p->spec);
    CHECK(only(p->diagnostics).code == code::mask_ignored);

    p = parse("0+10.1.0.0/255.0.255.0");
    CHECK_FALSE(p->spec);
    CHECK(only(p->diagnostics).code == code::bad_mask);
    CHECK(only(p->diagnostics).where.column == 12);
    CHECK(only(parse("0+10.1.0.0/33")->diagnostics).code == code::bad_mask);
    CHECK(only(parse("0+10.1.0.0/")->diagnostics).code == code::bad_mask);
    CHECK(only(parse("0+10.1.*.*/16")->diagnostics).code == code::bad_mask);
    CHECK(only(parse("10.*.1.*+0")->diagnostics).code == code::bad_address);
    CHECK(only(parse("300.1.1.1+0")->diagnostics).code == code::bad_address);
    CHECK(only(parse("10.1.1+0")->diagnostics).code == code::bad_address);
    CHECK(only(parse("0+%IP%")->diagnostics).code == code::bad_address);
}

TEST_CASE("addresses: DNS names are kept unresolved, with a warning") {
    auto p = parse("0+www.example.com:80:TCP");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.destination.kind == AddressKind::DnsName);
    CHECK(p->spec->filter.destination.dns_name == "www.example.com");
    CHECK(only(p->diagnostics).code == code::dns_name);
    CHECK(only(p->diagnostics).where.column == 3);
    p = parse("fileserver/24+0");
    REQUIRE(p->spec);
    CHECK(p->spec->filter.source.prefix_length == 24);
    CHECK(p->spec->filter.source.mask_given);
}

TEST_CASE("the KB 813878 typo '*0=:' points at '*0'") {
    const auto p = parse("*0=:");
    CHECK_FALSE(p->spec);
    const auto& d = only(p->diagnostics);
    CHECK(d.code == code::bad_address);
    CHECK(d.where.column == 1);
    CHECK(d.message.find("*=0") != std::string::npos);
}

TEST_CASE("structure errors: direction sign, colon fields, brackets") {
    auto p = parse("0*");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    p = parse("0+*=10.0.0.1");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    CHECK(only(p->diagnostics).where.column == 4);
    // corpus #97's commented-out example: a protocol on the source side
    p = parse("192.168.1.100:*:*+*");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    CHECK(only(p->diagnostics).where.column == 16);
    p = parse("0+*:80:TCP:1");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    CHECK(only(p->diagnostics).where.column == 11);
    p = parse("[0+*)");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    p = parse("[0+*");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    p = parse("0+*]");
    CHECK(only(p->diagnostics).code == code::filter_syntax);
    p = parse("+*");
    CHECK(only(p->diagnostics).code == code::bad_address);
    CHECK(only(p->diagnostics).message.find("source") != std::string::npos);
}

TEST_CASE("ports: range, '*', and only with TCP or UDP") {
    CHECK(only(parse("0+*:70000:TCP")->diagnostics).code == code::bad_port);
    const auto star = parse("0:*+*::TCP");
    CHECK(only(star->diagnostics).code == code::bad_port);
    CHECK(only(star->diagnostics).message.find("'*' is not a port") != std::string::npos);
    auto p = parse("0+*:80");
    CHECK(only(p->diagnostics).code == code::port_protocol);
    CHECK(only(p->diagnostics).where.column == 5);
    p = parse("0+*:8:ICMP");
    CHECK(only(p->diagnostics).code == code::port_protocol);
    CHECK(only(parse("0+*::FOO")->diagnostics).code == code::bad_protocol);
    CHECK(only(parse("0+*::300")->diagnostics).code == code::bad_protocol);
    const auto empty = parse("0+*::");
    CHECK(only(empty->diagnostics).code == code::bad_protocol);
    CHECK(only(empty->diagnostics).where.column == 5);
}

TEST_CASE("[spec] blocks and (spec) passes; DEFAULT is the default response rule") {
    auto p = parse("[0+*]");
    REQUIRE(p->spec);
    CHECK(p->spec->kind == SpecKind::Block);
    CHECK(p->spec->filter.mirrored);
    CHECK(p->spec->direction.column == 3);
    p = parse("(0:80+*::TCP)");
    REQUIRE(p->spec);
    CHECK(p->spec->kind == SpecKind::Pass);
    CHECK(p->spec->filter.source_port == 80);
    p = parse("default");
    REQUIRE(p->spec);
    CHECK(p->spec->kind == SpecKind::Default);
    CHECK(only(parse("[DEFAULT]")->diagnostics).code == code::filter_syntax);
}

TEST_CASE("a list: several specs, one error per broken spec") {
    auto l = parse_list("0+*:445:TCP  *+0:139:TCP [0+*]");
    REQUIRE(l->specs);
    REQUIRE(l->specs->size() == 3);
    CHECK((*l->specs)[1].filter.destination_port == 139);
    CHECK((*l->specs)[1].filter.where.column == 14);
    CHECK((*l->specs)[2].kind == SpecKind::Block);

    l = parse_list("0+*:TCP 0+* 1.2.3+*");
    CHECK_FALSE(l->specs);
    CHECK(l->diagnostics.count(code::bad_port) == 1);
    CHECK(l->diagnostics.count(code::bad_address) == 1);

    l = parse_list("DEFAULT 0+*");
    CHECK_FALSE(l->specs);
    CHECK(only(l->diagnostics).code == code::default_mixed);
}

TEST_CASE("KB 813878's template '*=0: PortNumber: Protocol' gives one error at 'PortNumber'") {
    auto l = parse_list("*=0: PortNumber: Protocol");
    CHECK_FALSE(l->specs);
    auto d = only(l->diagnostics);
    CHECK(d.code == code::filter_space);
    CHECK(d.where.column == 6);
    CHECK(d.message.find("placeholder") != std::string::npos);

    l = parse_list("[*=0: PortNumber: Protocol]");
    CHECK_FALSE(l->specs);
    d = only(l->diagnostics);
    CHECK(d.code == code::filter_space);
    CHECK(d.where.column == 7);

    l = parse_list("*0=: PortNumber: Protocol");  // the KB's own typo: reported at '*0' only
    CHECK_FALSE(l->specs);
    d = only(l->diagnostics);
    CHECK(d.code == code::bad_address);
    CHECK(d.where.column == 1);

    // a blank inside a spec that is not a placeholder
    l = parse_list("*=0: 80:TCP");
    d = only(l->diagnostics);
    CHECK(d.code == code::filter_space);
    CHECK(d.message.find("placeholder") == std::string::npos);

    // a spec ending in ':' next to a real spec is two specs
    l = parse_list("*=0: *=0:80:TCP");
    REQUIRE(l->specs);
    CHECK(l->specs->size() == 2);
}

TEST_CASE("tunnel endpoints") {
    Diagnostics d;
    const ScriptLine ip = make_line("10.0.0.1");
    const auto a = parse_tunnel_endpoint(Word::of_line(ip), d);
    REQUIRE(a);
    CHECK(a->kind == AddressKind::Specific);
    CHECK(a->address == v4("10.0.0.1"));
    const ScriptLine name = make_line("gw.example.com");
    const auto b = parse_tunnel_endpoint(Word::of_line(name), d);
    REQUIRE(b);
    CHECK(b->kind == AddressKind::DnsName);
    CHECK(d.count(code::dns_name) == 1);
    for (const char* bad : {"0", "*", "10.0.0.0/8", "1.2.3"}) {
        Diagnostics e;
        const ScriptLine l = make_line(bad);
        CHECK_FALSE(parse_tunnel_endpoint(Word::of_line(l), e));
        CHECK(e.count(code::bad_tunnel) == 1);
    }
}
