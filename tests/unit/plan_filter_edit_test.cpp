// plan_filter_edit: a quick reload's plan must be, record for record, what
// build_plan gives for the edited store; when it could not be, it says why.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "plan/filter_edit.hpp"
#include "plan_fixture.hpp"

namespace winipsec {
namespace {

using test::FilterSpec;
using test::StoreBuilder;

constexpr std::uint8_t udp = 17;

StoreBuilder blocklist(int n) {
    StoreBuilder b;
    b.action("Block", ActionKind::Block).action("Permit", ActionKind::Permit);
    b.filter("bl", {.src = "198.51.100.0/24", .dst = "me", .protocol = udp, .dport = 9});
    for (int i = 1; i < n; ++i)
        b.filter("bl", {.src = "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24", .dst = "me"});
    b.filter("ok", {.src = "10.0.1.7", .dst = "me", .protocol = 6, .dport = 22});
    b.rule("block", "bl", "Block").rule("permit", "ok", "Permit");
    return b;
}

// What order and classes build_plan gives, as comparable text.
std::vector<std::string> layout(const plan::Plan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.rules)
        out.push_back(fmt::format("{} {} {} c{} {} {}", r.rank, to_string(r.direction), r.selector.to_string(),
                                  r.shape_class, r.filter->where.to_string(), r.is_mirror));
    for (const auto& c : p.classes) out.push_back(fmt::format("class {} first {} size {}", c.id, c.first_rank, c.size));
    return out;
}

Filter* find(PolicyStore& store, const std::string& list, std::size_t i) {
    return &store.find_filter_list(list)->filters[i];
}

TEST_CASE("an edited port keeps its class: the edited plan is the one build_plan gives") {
    auto b = blocklist(300);
    const auto options = test::options_with_me({"192.0.2.2"});
    Diagnostics d;
    auto plan = plan::build_plan(b.store, options, d);
    REQUIRE_FALSE(d.has_errors());

    Filter next = *find(b.store, "bl", 0);
    next.destination_port = 10;
    const std::vector<plan::FilterReplacement> reps{{find(b.store, "bl", 0), next}};
    auto edit = plan::plan_filter_edit(plan, b.store, options, reps);
    REQUIRE_MESSAGE(edit.has_value(), (edit ? "" : edit.error()));
    CHECK(edit->records() == 2);  // the filter and its mirror
    CHECK(edit->classes().size() == 2);
    const auto before = layout(plan);
    edit->apply(plan);
    CHECK(find(b.store, "bl", 0)->destination_port == 10);

    Diagnostics again;
    const auto full = plan::build_plan(b.store, options, again);
    CHECK(layout(plan) == layout(full));

    edit->revert(plan);
    CHECK(find(b.store, "bl", 0)->destination_port == 9);
    CHECK(layout(plan) == before);
}

TEST_CASE("an edited address in the big class keeps the plan identical to a full build") {
    auto b = blocklist(300);
    const auto options = test::options_with_me({"192.0.2.2"});
    Diagnostics d;
    auto plan = plan::build_plan(b.store, options, d);
    Filter next = *find(b.store, "bl", 150);
    next.source = test::address("10.99.0.0/24");
    const std::vector<plan::FilterReplacement> reps{{find(b.store, "bl", 150), next}};
    auto edit = plan::plan_filter_edit(plan, b.store, options, reps);
    REQUIRE_MESSAGE(edit.has_value(), (edit ? "" : edit.error()));
    edit->apply(plan);
    Diagnostics again;
    CHECK(layout(plan) == layout(plan::build_plan(b.store, options, again)));
}

TEST_CASE("what the quick edit cannot vouch for is refused with a reason") {
    auto b = blocklist(20);
    const auto options = test::options_with_me({"192.0.2.2"});
    Diagnostics d;
    const auto plan = plan::build_plan(b.store, options, d);
    auto refused = [&](Filter next, std::size_t index = 3) {
        const std::vector<plan::FilterReplacement> reps{{find(b.store, "bl", index), std::move(next)}};
        auto edit = plan::plan_filter_edit(plan, b.store, options, reps);
        return edit ? std::string() : edit.error();
    };
    Filter f = *find(b.store, "bl", 3);

    SUBCASE("another mask moves it to another class") {
        Filter next = f;
        next.source = test::address("10.0.3.0/25");
        CHECK(refused(next).find("shape class") != std::string::npos);
    }
    SUBCASE("a port where there was none moves it too") {
        Filter next = f;
        next.protocol = udp;
        next.destination_port = 53;
        CHECK(refused(next).find("shape class") != std::string::npos);
    }
    SUBCASE("a copy of another filter would be dropped as a duplicate") {
        Filter next = f;
        next.source = find(b.store, "bl", 4)->source;
        CHECK(refused(next).find("duplicates") != std::string::npos);
    }
    SUBCASE("not mirrored any more: fewer records") {
        Filter next = f;
        next.mirrored = false;
        CHECK(refused(next).find("number of records") != std::string::npos);
    }
}

TEST_CASE("a plan that negotiates is always planned in full") {
    StoreBuilder b;
    b.action("Sec", ActionKind::Negotiate).action("Block", ActionKind::Block);
    b.filter("sec", {.src = "me", .dst = "203.0.113.0/24"});
    b.filter("bl", {.src = "10.0.0.0/24", .dst = "me"});
    b.rule("sec", "sec", "Sec").rule("bl", "bl", "Block");
    const auto options = test::options_with_me({"192.0.2.2"});
    Diagnostics d;
    const auto plan = plan::build_plan(b.store, options, d);
    Filter next = *find(b.store, "bl", 0);
    next.source = test::address("10.0.9.0/24");
    const std::vector<plan::FilterReplacement> reps{{find(b.store, "bl", 0), next}};
    const auto edit = plan::plan_filter_edit(plan, b.store, options, reps);
    REQUIRE_FALSE(edit.has_value());
    CHECK(edit.error().find("negotiates") != std::string::npos);
}

}  // namespace
}  // namespace winipsec
