#pragma once
// Builds policy stores for plan tests directly in the model, so the plan's
// tests do not depend on an importer.
#include <memory>
#include <string>

#include "model/policy.hpp"
#include "plan/build_plan.hpp"
#include "plan/explain.hpp"

namespace winipsec::test {

inline FilterAddress address(const std::string& text) {
    if (text == "me") return FilterAddress::me();
    if (text == "any") return FilterAddress::any();
    const auto slash = text.find('/');
    const auto ip = *IpAddress::parse(text.substr(0, slash));
    const int prefix = slash == std::string::npos ? ip.bit_width() : std::stoi(text.substr(slash + 1));
    return FilterAddress::specific(ip, prefix);
}

struct FilterSpec {
    std::string src = "any", dst = "any";
    std::uint8_t protocol = 0;
    std::uint16_t sport = 0, dport = 0;
    bool mirrored = true;
};

class StoreBuilder {
public:
    StoreBuilder() {
        Policy p;
        p.name = "P";
        p.assigned = true;
        p.where = next_location();
        store.policies.push_back(p);
    }

    StoreBuilder& action(const std::string& name, ActionKind kind, bool inpass = false, bool soft = false) {
        FilterAction a;
        a.name = name;
        a.action = kind;
        a.inbound_passthrough = inpass;
        a.fallback_to_clear = soft;
        if (kind == ActionKind::Negotiate) a.offers = default_quick_mode_offers();
        a.where = next_location();
        store.filter_actions.push_back(a);
        return *this;
    }

    StoreBuilder& filter(const std::string& list, const FilterSpec& spec) {
        FilterList* l = store.find_filter_list(list);
        if (!l) {
            store.filter_lists.push_back({});
            l = &store.filter_lists.back();
            l->name = list;
        }
        Filter f;
        f.source = address(spec.src);
        f.destination = address(spec.dst);
        f.protocol = spec.protocol;
        f.source_port = spec.sport;
        f.destination_port = spec.dport;
        f.mirrored = spec.mirrored;
        f.where = next_location();
        l->filters.push_back(f);
        return *this;
    }

    StoreBuilder& rule(const std::string& name, const std::string& list, const std::string& action,
                       const std::string& tunnel = "") {
        Rule r;
        r.name = name;
        r.filter_list = list;
        r.filter_action = action;
        if (!tunnel.empty()) r.tunnel_endpoint = address(tunnel);
        r.where = next_location();
        store.policies.front().rules.push_back(r);
        return *this;
    }

    PolicyStore store;

private:
    SourceLocation next_location() { return {file_, ++line_, 1}; }
    std::shared_ptr<const std::string> file_ = std::make_shared<const std::string>("t.netsh");
    int line_ = 0;
};

inline plan::PlanOptions options_with_me(std::initializer_list<const char*> me) {
    plan::PlanOptions o;
    for (const char* m : me) o.me.push_back(*IpAddress::parse(m));
    o.resolve_from_host = false;
    return o;
}

inline plan::Packet packet(const char* src, const char* dst, std::uint8_t proto = 6, std::uint16_t sport = 0,
                           std::uint16_t dport = 0) {
    return {*IpAddress::parse(src), *IpAddress::parse(dst), proto, sport, dport};
}

}  // namespace winipsec::test
