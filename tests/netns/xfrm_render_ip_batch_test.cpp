// `winipsec translate` can print the XFRM policies as `ip xfrm policy add`
// lines. Run through the real iproute2 they must give the kernel exactly the
// state our own netlink encoder gives it.
#include <fstream>

#include "kernel/xfrm_apply.hpp"
#include "kernel/xfrm_netlink.hpp"
#include "kernel/xfrm_plan.hpp"
#include "xfrm_netns.hpp"

using namespace winipsec;
using namespace winipsec::test;

namespace {

constexpr std::uint8_t tcp = 6, udp = 17;

// A bit of everything the renderer spells: ports, both families, AH+ESP,
// tunnel templates with both ends, level use, block.
StoreBuilder mixed() {
    StoreBuilder b;
    b.action("ReqESP", ActionKind::Negotiate)
        .action("Request", ActionKind::Negotiate, true, true)
        .action("Block", ActionKind::Block)
        .filter("Subnet", {.src = "me", .dst = "198.51.100.0/24"})
        .filter("Web", {.src = "me", .dst = "2001:db8:1::/48", .protocol = tcp, .sport = 443})
        .filter("Net6", {.src = "me", .dst = "2001:db8:9::/48"})
        .filter("Syslog", {.src = "me", .dst = "198.51.100.9", .protocol = udp, .dport = 514})
        .filter("A2B", {.src = "192.0.2.0/25", .dst = "203.0.113.0/24", .mirrored = false})
        .filter("B2A", {.src = "203.0.113.0/24", .dst = "192.0.2.0/25", .mirrored = false})
        .rule("subnet", "Subnet", "ReqESP")
        .rule("web", "Web", "Request")
        .rule("net6", "Net6", "ReqESP")
        .rule("syslog", "Syslog", "Block")
        .rule("out", "A2B", "ReqESP", "198.51.100.200")
        .rule("in", "B2A", "ReqESP", "192.0.2.1");
    // AH+ESP bundle on the subnet rule.
    auto* a = b.store.find_filter_action("ReqESP");
    QuickModeOffer offer;
    offer.ah = Integrity::Sha1;
    offer.esp = EspTransform{};
    a->offers = {offer};
    return b;
}

std::vector<std::string> sorted_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

}  // namespace

TEST_CASE("render_ip_xfrm lines run through `ip -batch` give the same kernel state as our netlink encoder") {
    const auto plan = build(mixed(), options_with_me({"192.0.2.1", "2001:db8::1"}));
    const auto policies = kernel::build_xfrm_policies(plan);
    const std::string text = kernel::render_ip_xfrm(policies);
    INFO(text);
    CHECK(text.find("ip xfrm policy add ") == text.find("ip "));
    CHECK(text.find("level use") != std::string::npos);
    CHECK(text.find("mode tunnel") != std::string::npos);
    CHECK(text.find("proto ah") != std::string::npos);
    CHECK(text.find("proto 58 type 136") != std::string::npos);
    CHECK(text.find("# policy 'P' rule 'subnet'") != std::string::npos);

    XFRM_NETNS_REQUIRE_ROOT();
    Netns by_ip, by_netlink;
    // `ip -batch` takes the lines without the leading "ip"; '#' lines are comments.
    const std::string batch = fmt::format("/tmp/{}.batch", by_ip.name());
    {
        std::ofstream file(batch);
        std::size_t start = 0;
        while (start < text.size()) {
            const auto end = text.find('\n', start);
            const std::string line = text.substr(start, end - start);
            file << (line.starts_with("ip ") ? line.substr(3) : line) << '\n';
            start = end + 1;
        }
    }
    const auto loaded = by_ip.ip("-batch " + batch);
    std::remove(batch.c_str());
    REQUIRE_MESSAGE(loaded.status == 0, loaded.output);
    const auto applied = by_netlink.run([&] { return kernel::apply_xfrm_policies(policies); });
    REQUIRE_MESSAGE(applied, (applied ? "" : applied.error().message));

    // iproute2's own listing of both namespaces, with indexes (-s) and
    // everything else it prints, must be identical.
    const auto listing_ip = by_ip.ip("-s xfrm policy list");
    const auto listing_netlink = by_netlink.ip("-s xfrm policy list");
    // -s also prints lifetime counters (add time); drop those lines.
    auto stable = [](const std::string& listing) {
        std::string out;
        for (const auto& line : sorted_lines(listing))
            if (line.find("add ") == std::string::npos && line.find("use ") == std::string::npos) out += line + '\n';
        return out;
    };
    CHECK(stable(listing_ip.output) == stable(listing_netlink.output));

    // And our decoder reads both the same way, all of them ours.
    const auto dumped_ip = by_ip.run([] { return kernel::dump_xfrm_policies(); });
    const auto dumped_netlink = by_netlink.run([] { return kernel::dump_xfrm_policies(); });
    REQUIRE(dumped_ip);
    REQUIRE(dumped_netlink);
    REQUIRE(dumped_ip->size() == policies.size());
    REQUIRE(dumped_netlink->size() == policies.size());
    for (const auto& want : policies) {
        for (const auto* dumped : {&*dumped_ip, &*dumped_netlink}) {
            const auto* got = find_policy(*dumped, want.dir, want.selector.to_string());
            REQUIRE_MESSAGE(got, want.selector.to_string());
            CHECK(got->ours());
            CHECK(got->index == want.index);
            CHECK(got->same_content(want));
        }
    }
}
