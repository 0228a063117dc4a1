#include "daemon/kernel_state_json.hpp"

#include <fmt/format.h>

namespace winipsec::daemon {

using nlohmann::json;
using namespace winipsec::kernel;

namespace {

// nlohmann reports a missing key or a wrong type by throwing; the readers
// below let it, and the two entry points turn it into the returned error.
std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

NftValue unhex(const std::string& text) {
    NftValue v{};
    if (text.size() % 2 != 0 || text.size() > v.size() * 2) throw std::runtime_error("bad value '" + text + "'");
    auto nibble = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw std::runtime_error("bad value '" + text + "'");
    };
    for (std::size_t i = 0; i < text.size() / 2; ++i)
        v[i] = static_cast<std::uint8_t>(nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]));
    return v;
}

IpAddress address(const std::string& text) {
    auto a = IpAddress::parse(text);
    if (!a) throw std::runtime_error("bad address '" + text + "'");
    return *a;
}

std::string prefix_text(const plan::Prefix& p) {
    return fmt::format("{}/{}", p.address.to_string(), p.length);
}
plan::Prefix prefix(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) throw std::runtime_error("bad prefix '" + text + "'");
    return {address(text.substr(0, slash)), std::stoi(text.substr(slash + 1))};
}

const char* family_name(IpFamily f) {
    return f == IpFamily::V6 ? "ipv6" : "ipv4";
}
IpFamily family(const json& j) {
    return j.get<std::string>() == "ipv6" ? IpFamily::V6 : IpFamily::V4;
}

json key_json(const std::vector<NftKeyPart>& key) {
    json out = json::array();
    for (const auto& k : key) out.push_back({static_cast<int>(k.field), k.prefix_length});
    return out;
}
std::vector<NftKeyPart> key_parts(const json& j) {
    std::vector<NftKeyPart> out;
    for (const auto& k : j) out.push_back({static_cast<NftKeyField>(k.at(0).get<int>()), k.at(1).get<int>()});
    return out;
}

json match_json(const NftMatch& m) {
    return std::visit(
        [](const auto& v) -> json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, NftMatchFamily>)
                return {{"family", family_name(v.family)}};
            else if constexpr (std::is_same_v<T, NftMatchProtocol>)
                return {{"protocol", v.protocol}, {"equal", v.equal}};
            else if constexpr (std::is_same_v<T, NftMatchPort>)
                return {{"port", v.port}, {"source", v.source}};
            else if constexpr (std::is_same_v<T, NftMatchPacketType>)
                return {{"packet_type", v.packet_type}};
            else if constexpr (std::is_same_v<T, NftMatchDestination>)
                return {{"destination", prefix_text(v.prefix)}};
            else if constexpr (std::is_same_v<T, NftMatchNonFirstFragment>)
                return {{"non_first_fragment", family_name(v.family)}};
            else if constexpr (std::is_same_v<T, NftMatchIpsec>)
                return {{"ipsec", true}};
            else if constexpr (std::is_same_v<T, NftMatchUntracked>)
                return {{"untracked", true}};
            else if constexpr (std::is_same_v<T, NftMatchInputInterface>)
                return {{"input_interface", v.name}};
            else if constexpr (std::is_same_v<T, NftMatchSet>)
                return {{"set", v.set}, {"key", key_json(v.key)}};
            else
                static_assert(sizeof(T) == 0, "a new nft match needs its JSON spelling here");
        },
        m);
}

NftMatch match(const json& j) {
    if (j.contains("family")) return NftMatchFamily{family(j.at("family"))};
    if (j.contains("protocol"))
        return NftMatchProtocol{j.at("protocol").get<std::uint8_t>(), j.at("equal").get<bool>()};
    if (j.contains("port")) return NftMatchPort{j.at("source").get<bool>(), j.at("port").get<std::uint16_t>()};
    if (j.contains("packet_type")) return NftMatchPacketType{j.at("packet_type").get<std::uint8_t>()};
    if (j.contains("destination")) return NftMatchDestination{prefix(j.at("destination").get<std::string>())};
    if (j.contains("non_first_fragment")) return NftMatchNonFirstFragment{family(j.at("non_first_fragment"))};
    if (j.contains("ipsec")) return NftMatchIpsec{};
    if (j.contains("untracked")) return NftMatchUntracked{};
    if (j.contains("input_interface")) return NftMatchInputInterface{j.at("input_interface").get<std::string>()};
    if (j.contains("set")) return NftMatchSet{j.at("set").get<std::string>(), key_parts(j.at("key"))};
    throw std::runtime_error("unknown nft match " + j.dump());
}

json nft_json(const NftRuleset& r) {
    json sets = json::array();
    for (const auto& s : r.sets) {
        json elements = json::array();
        for (const auto& e : s.elements) {
            json key = json::array();
            for (std::size_t i = 0; i < e.key.size(); ++i) {
                const std::size_t n = i < s.key.size() ? value_length(value_type(s.key[i].field)) : e.key[i].size();
                key.push_back(hex(std::span(e.key[i]).first(n)));
            }
            elements.push_back({key, e.comment});
        }
        sets.push_back({{"name", s.name}, {"key", key_json(s.key)}, {"counter", s.counter}, {"elements", elements}});
    }
    json chains = json::array();
    for (const auto& c : r.chains) {
        json rules = json::array();
        for (const auto& rule : c.rules) {
            json matches = json::array();
            for (const auto& m : rule.matches) matches.push_back(match_json(m));
            rules.push_back({{"matches", matches},
                             {"counter", rule.counter},
                             {"verdict", static_cast<int>(rule.verdict)},
                             {"comment", rule.comment}});
        }
        chains.push_back(
            {{"name", c.name}, {"hook", static_cast<int>(c.hook)}, {"priority", c.priority}, {"rules", rules}});
    }
    return {{"sets", sets}, {"chains", chains}};
}

NftRuleset nft(const json& j) {
    NftRuleset r;
    for (const auto& s : j.at("sets")) {
        NftSet set;
        set.name = s.at("name").get<std::string>();
        set.key = key_parts(s.at("key"));
        set.counter = s.at("counter").get<bool>();
        set.elements.reserve(s.at("elements").size());
        for (const auto& e : s.at("elements")) {
            NftSetElement element;
            for (const auto& v : e.at(0)) element.key.push_back(unhex(v.get<std::string>()));
            element.comment = e.at(1).get<std::string>();
            set.elements.push_back(std::move(element));
        }
        r.sets.push_back(std::move(set));
    }
    for (const auto& c : j.at("chains")) {
        NftChain chain;
        chain.name = c.at("name").get<std::string>();
        chain.hook = static_cast<NftHook>(c.at("hook").get<int>());
        chain.priority = c.at("priority").get<int>();
        for (const auto& rj : c.at("rules")) {
            NftRule rule;
            for (const auto& m : rj.at("matches")) rule.matches.push_back(match(m));
            rule.counter = rj.at("counter").get<bool>();
            rule.verdict = static_cast<NftVerdict>(rj.at("verdict").get<int>());
            rule.comment = rj.at("comment").get<std::string>();
            chain.rules.push_back(std::move(rule));
        }
        r.chains.push_back(std::move(chain));
    }
    return r;
}

json xfrm_json(const XfrmPolicy& p) {
    const auto& s = p.selector;
    json templates = json::array();
    for (const auto& t : p.templates)
        templates.push_back({{"proto", static_cast<int>(t.proto)},
                             {"mode", static_cast<int>(t.mode)},
                             {"family", family_name(t.family)},
                             {"source", t.source ? t.source->to_string() : ""},
                             {"destination", t.destination ? t.destination->to_string() : ""},
                             {"reqid", t.reqid},
                             {"optional", t.optional}});
    return {{"selector",
             {prefix_text(s.source), prefix_text(s.destination), s.protocol, s.source_port, s.source_port_mask,
              s.destination_port, s.destination_port_mask, s.ifindex}},
            {"dir", static_cast<int>(p.dir)},
            {"action", static_cast<int>(p.action)},
            {"priority", p.priority},
            {"index", p.index},
            {"templates", templates},
            {"origin", p.origin}};
}

XfrmPolicy xfrm(const json& j) {
    XfrmPolicy p;
    const auto& s = j.at("selector");
    p.selector.source = prefix(s.at(0).get<std::string>());
    p.selector.destination = prefix(s.at(1).get<std::string>());
    p.selector.protocol = s.at(2).get<std::uint8_t>();
    p.selector.source_port = s.at(3).get<std::uint16_t>();
    p.selector.source_port_mask = s.at(4).get<std::uint16_t>();
    p.selector.destination_port = s.at(5).get<std::uint16_t>();
    p.selector.destination_port_mask = s.at(6).get<std::uint16_t>();
    p.selector.ifindex = s.at(7).get<int>();
    p.dir = static_cast<XfrmDir>(j.at("dir").get<int>());
    p.action = static_cast<XfrmAction>(j.at("action").get<int>());
    p.priority = j.at("priority").get<std::uint32_t>();
    p.index = j.at("index").get<std::uint32_t>();
    p.origin = j.at("origin").get<std::string>();
    for (const auto& t : j.at("templates")) {
        XfrmTemplate tmpl;
        tmpl.proto = static_cast<XfrmProto>(t.at("proto").get<int>());
        tmpl.mode = static_cast<XfrmMode>(t.at("mode").get<int>());
        tmpl.family = family(t.at("family"));
        if (const auto a = t.at("source").get<std::string>(); !a.empty()) tmpl.source = address(a);
        if (const auto a = t.at("destination").get<std::string>(); !a.empty()) tmpl.destination = address(a);
        tmpl.reqid = t.at("reqid").get<std::uint32_t>();
        tmpl.optional = t.at("optional").get<bool>();
        p.templates.push_back(std::move(tmpl));
    }
    return p;
}

json location_json(const SourceLocation& w) {
    return {w.path(), w.line, w.column};
}
SourceLocation location(const json& j) {
    SourceLocation w;
    if (const auto f = j.at(0).get<std::string>(); !f.empty()) w.file = std::make_shared<const std::string>(f);
    w.line = j.at(1).get<int>();
    w.column = j.at(2).get<int>();
    return w;
}

json auth_json(const ike::IkeAuth& a) {
    return {{"method", a.method}, {"id", a.id}, {"cacerts", a.cacerts}};
}
ike::IkeAuth auth(const json& j) {
    return {j.at("method").get<std::string>(), j.at("id").get<std::string>(),
            j.at("cacerts").get<std::vector<std::string>>()};
}

}  // namespace

json kernel_state_to_json(const KernelState& state) {
    json policies = json::array();
    for (const auto& p : state.xfrm) policies.push_back(xfrm_json(p));
    return {{"nft", nft_json(state.nft)}, {"xfrm", policies}};
}

std::expected<KernelState, std::string> kernel_state_from_json(const json& j) {
    try {
        KernelState state;
        state.nft = nft(j.at("nft"));
        for (const auto& p : j.at("xfrm")) state.xfrm.push_back(xfrm(p));
        return state;
    } catch (const std::exception& e) {
        return std::unexpected(fmt::format("kernel state: {}", e.what()));
    }
}

json ike_config_to_json(const ike::IkeConfig& config, bool with_secrets) {
    json connections = json::array();
    for (const auto& c : config.connections) {
        json children = json::array();
        for (const auto& ch : c.children)
            children.push_back({{"name", ch.name},
                                {"mode", ch.mode},
                                {"local_ts", ch.local_ts},
                                {"remote_ts", ch.remote_ts},
                                {"esp_proposals", ch.esp_proposals},
                                {"ah_proposals", ch.ah_proposals},
                                {"life_time", ch.life_time},
                                {"rekey_time", ch.rekey_time},
                                {"life_bytes", ch.life_bytes},
                                {"start_action", ch.start_action},
                                {"reqid", ch.reqid},
                                {"priority", ch.priority},
                                {"policies", ch.policies},
                                {"where", location_json(ch.where)}});
        connections.push_back({{"name", c.name},
                               {"local_addrs", c.local_addrs},
                               {"remote_addrs", c.remote_addrs},
                               {"proposals", c.proposals},
                               {"ike_lifetime", c.ike_lifetime},
                               {"local", auth_json(c.local)},
                               {"remote", auth_json(c.remote)},
                               {"children", children},
                               {"where", location_json(c.where)}});
    }
    json keys = json::array();
    for (const auto& k : config.shared_keys)
        keys.push_back({{"id", k.id},
                        {"secret", with_secrets ? k.secret.reveal() : std::string(Secret::redacted)},
                        {"owners", k.owners},
                        {"where", location_json(k.where)}});
    return {{"connections", connections}, {"shared_keys", keys}};
}

std::expected<ike::IkeConfig, std::string> ike_config_from_json(const json& j) {
    try {
        ike::IkeConfig config;
        for (const auto& c : j.at("connections")) {
            ike::IkeConnection conn;
            conn.name = c.at("name").get<std::string>();
            conn.local_addrs = c.at("local_addrs").get<std::vector<std::string>>();
            conn.remote_addrs = c.at("remote_addrs").get<std::vector<std::string>>();
            conn.proposals = c.at("proposals").get<std::vector<std::string>>();
            conn.ike_lifetime = c.at("ike_lifetime").get<std::uint32_t>();
            conn.local = auth(c.at("local"));
            conn.remote = auth(c.at("remote"));
            conn.where = location(c.at("where"));
            for (const auto& ch : c.at("children")) {
                ike::IkeChild child;
                child.name = ch.at("name").get<std::string>();
                child.mode = ch.at("mode").get<std::string>();
                child.local_ts = ch.at("local_ts").get<std::vector<std::string>>();
                child.remote_ts = ch.at("remote_ts").get<std::vector<std::string>>();
                child.esp_proposals = ch.at("esp_proposals").get<std::vector<std::string>>();
                child.ah_proposals = ch.at("ah_proposals").get<std::vector<std::string>>();
                child.life_time = ch.at("life_time").get<std::uint32_t>();
                child.rekey_time = ch.at("rekey_time").get<std::uint32_t>();
                child.life_bytes = ch.at("life_bytes").get<std::uint64_t>();
                child.start_action = ch.at("start_action").get<std::string>();
                child.reqid = ch.at("reqid").get<std::uint32_t>();
                child.priority = ch.at("priority").get<std::uint32_t>();
                child.policies = ch.at("policies").get<bool>();
                child.where = location(ch.at("where"));
                conn.children.push_back(std::move(child));
            }
            config.connections.push_back(std::move(conn));
        }
        for (const auto& k : j.at("shared_keys")) {
            ike::IkeSharedKey key;
            key.id = k.at("id").get<std::string>();
            key.secret = Secret(k.at("secret").get<std::string>());
            key.owners = k.at("owners").get<std::vector<std::string>>();
            key.where = location(k.at("where"));
            config.shared_keys.push_back(std::move(key));
        }
        return config;
    } catch (const std::exception& e) {
        return std::unexpected(fmt::format("IKE configuration: {}", e.what()));
    }
}

}  // namespace winipsec::daemon
