#include "plugins/registry/store_objects.hpp"

#include <algorithm>
#include <array>

#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry {
namespace {

constexpr std::array<std::pair<std::string_view, StoreClass>, 5> classes = {{
    {"ipsecPolicy", StoreClass::Policy},
    {"ipsecISAKMPPolicy", StoreClass::Isakmp},
    {"ipsecNFA", StoreClass::Nfa},
    {"ipsecNegotiationPolicy", StoreClass::Negotiation},
    {"ipsecFilter", StoreClass::Filter},
}};

// `<class>{GUID}` exactly.
std::optional<ObjectName> parse_key_name(std::string_view leaf) {
    const auto brace = leaf.find('{');
    if (brace == std::string_view::npos) return std::nullopt;
    const auto guid = Guid::parse(leaf.substr(brace));
    if (!guid) return std::nullopt;
    for (const auto& [name, kind] : classes)
        if (iequals(leaf.substr(0, brace), name)) return ObjectName{kind, *guid};
    return std::nullopt;
}

std::optional<StoreLocation> container_location(std::string_view leaf) {
    if (iequals(leaf, "Local")) return StoreLocation::Local;
    if (iequals(leaf, "Cache")) return StoreLocation::Domain;
    if (iequals(leaf, "Persistent")) return StoreLocation::Persistent;
    return std::nullopt;
}

bool contains_component(std::string_view path, std::string_view component) {
    const std::string lower = "\\" + ascii_lower(path) + "\\";
    return lower.find("\\" + ascii_lower(component) + "\\") != std::string::npos;
}

bool is_service_key(std::string_view path) {
    return iends_with(path, "\\Services\\IPSec") || iends_with(path, "\\Services\\PolicyAgent");
}

}  // namespace

const char* class_name(StoreClass c) {
    for (const auto& [name, kind] : classes)
        if (kind == c) return name.data();
    return "?";
}

std::optional<ObjectName> parse_object_name(std::string_view text) {
    // The last component of a path, or the first RDN of a DN.
    if (istarts_with(text, "CN=")) {
        text.remove_prefix(3);
        text = text.substr(0, text.find(','));
    } else if (const auto slash = text.rfind('\\'); slash != std::string_view::npos) {
        text = text.substr(slash + 1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
    return parse_key_name(text);
}

const StoreObject* StoreKeys::find(const ObjectName& name, std::size_t preferred_container) const {
    const StoreObject* other = nullptr;
    for (const auto& o : objects) {
        if (!(o.name == name)) continue;
        if (o.container == preferred_container) return &o;
        if (!other) other = &o;
    }
    return other;
}

StoreKeys find_store_keys(const RegistryTree& tree) {
    StoreKeys out;
    auto container_index = [&out, &tree](std::string_view path) {
        for (std::size_t i = 0; i < out.containers.size(); ++i)
            if (iequals(out.containers[i].path, path)) return i;
        StoreContainer c;
        c.path = std::string(path);
        const auto leaf = path.substr(path.rfind('\\') == std::string_view::npos ? 0 : path.rfind('\\') + 1);
        const auto location = container_location(leaf);
        c.location = location.value_or(StoreLocation::Local);
        c.location_known = location.has_value();
        c.key = tree.find(path);
        out.containers.push_back(std::move(c));
        return out.containers.size() - 1;
    };
    const auto keys = tree.keys();
    for (const RegistryKey* key : keys)
        if (const auto name = parse_key_name(key->leaf()))
            out.objects.push_back({*name, key, container_index(key->parent_path())});
    for (const RegistryKey* key : keys) {
        if (parse_key_name(key->leaf())) continue;
        const bool holds_objects = std::any_of(out.containers.begin(), out.containers.end(),
                                               [&](const StoreContainer& c) { return iequals(c.path, key->path); });
        if (holds_objects) continue;
        if (contains_component(key->path, "IPSec") && container_location(key->leaf()) &&
            iends_with(key->parent_path(), "\\Policy")) {
            container_index(key->path);
            continue;
        }
        if (is_service_key(key->path)) {
            out.service_keys.push_back(key);
            continue;
        }
        // ...\IPSec, ...\IPSec\Policy, ...\IPSec\GPTIPSECPolicy
        if (iends_with(key->path, "\\IPSec") || iends_with(key->path, "\\IPSec\\Policy") ||
            iends_with(key->path, "\\IPSec\\GPTIPSECPolicy")) {
            out.structural.push_back(key);
            continue;
        }
        const auto parent = key->parent_path();
        const auto parent_leaf =
            parent.substr(parent.rfind('\\') == std::string_view::npos ? 0 : parent.rfind('\\') + 1);
        if (contains_component(key->path, "IPSec") && container_location(parent_leaf))
            out.strays.push_back(key);
        else
            out.unrelated.push_back(key);
    }
    return out;
}

}  // namespace winipsec::registry
