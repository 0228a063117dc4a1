#include "plugins/registry/store_object_values.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "plugins/registry/registry_codes.hpp"
#include "plugins/registry/registry_text.hpp"

namespace winipsec::registry {
namespace {

// Values every object key has (§2.2); `ClassName` is spelled `className` by
// Windows 10.
constexpr std::array<std::string_view, 9> common_values = {
    "className",     "name",        "ipsecID",
    "ipsecName",     "description", "whenChanged",
    "ipsecDataType", "ipsecData",   "ipsecOwnersReference",
};

std::vector<std::string_view> class_values(StoreClass kind) {
    switch (kind) {
        case StoreClass::Policy: return {"ipsecISAKMPReference", "ipsecNFAReference"};
        case StoreClass::Nfa: return {"ipsecFilterReference", "ipsecNegotiationPolicyReference"};
        case StoreClass::Negotiation: return {"ipsecNegotiationPolicyAction", "ipsecNegotiationPolicyType"};
        case StoreClass::Isakmp:
        case StoreClass::Filter: return {};
    }
    return {};
}

bool known(std::string_view name, StoreClass kind) {
    const auto match = [name](std::string_view k) { return iequals(k, name); };
    const auto specific = class_values(kind);
    return std::any_of(common_values.begin(), common_values.end(), match) ||
           std::any_of(specific.begin(), specific.end(), match);
}

}  // namespace

void check_object_values(const StoreObject& object, Diagnostics& diagnostics) {
    const RegistryKey& key = *object.key;
    const std::string object_name(key.leaf());
    for (const auto& v : key.values)
        if (!known(v.name, object.name.kind))
            diagnostics.warning(code::unknown_value, v.where,
                                fmt::format("{} has a value '{}' that {} objects do not use; ignored", object_name,
                                            v.name.empty() ? "@" : v.name, class_name(object.name.kind)));
    if (const auto cls = text_value(key, "className", diagnostics); cls && !iequals(*cls, class_name(object.name.kind)))
        diagnostics.warning(code::not_understood, key.value("className")->where,
                            fmt::format("{} says className '{}'; the key name wins", object_name, *cls));
    if (const auto id = text_value(key, "ipsecID", diagnostics)) {
        const auto guid = Guid::parse(*id);
        if (!guid || !(*guid == object.name.guid))
            diagnostics.warning(code::not_understood, key.value("ipsecID")->where,
                                fmt::format("{} has ipsecID '{}'; the GUID in the key name wins", object_name, *id));
    }
    if (const RegistryValue* type = key.value("ipsecDataType")) {
        const auto n = type->dword();
        if (!n || *n != 0x100)
            diagnostics.warning(code::not_understood, type->where,
                                fmt::format("{} has ipsecDataType {} where Windows always writes 0x100; the blob is "
                                            "read as usual",
                                            object_name, n ? fmt::format("0x{:x}", *n) : value_type_name(type->type)));
    }
}

const RegistryValue* blob_value(const StoreObject& object, Diagnostics& diagnostics) {
    const RegistryKey& key = *object.key;
    const RegistryValue* data = key.value("ipsecData");
    if (!data) {
        diagnostics.error(code::missing_blob, key.where,
                          fmt::format("{} has no ipsecData value; the object is left out", key.leaf()));
        return nullptr;
    }
    if (data->type != value_type::binary) {
        diagnostics.error(code::bad_value_type, data->where,
                          fmt::format("{} ipsecData is {}, not REG_BINARY; the object is left out", key.leaf(),
                                      value_type_name(data->type)));
        return nullptr;
    }
    return data;
}

std::optional<std::string> text_value(const RegistryKey& key, std::string_view name, Diagnostics& diagnostics) {
    const RegistryValue* v = key.value(name);
    if (!v) return std::nullopt;
    auto text = v->text();
    if (!text) {
        diagnostics.error(code::bad_value_type, v->where,
                          fmt::format("{} {} is {}, not REG_SZ; ignored", key.leaf(), name, value_type_name(v->type)));
        return std::nullopt;
    }
    if (text->empty()) return std::nullopt;
    return text;
}

std::vector<std::string> reference_strings(const RegistryKey& key, std::string_view name, Diagnostics& diagnostics) {
    const RegistryValue* v = key.value(name);
    if (!v) return {};
    auto strings = v->strings();
    if (!strings) {
        diagnostics.error(code::bad_value_type, v->where,
                          fmt::format("{} {} is {}, not REG_SZ or REG_MULTI_SZ; the reference is not followed",
                                      key.leaf(), name, value_type_name(v->type)));
        return {};
    }
    return *strings;
}

}  // namespace winipsec::registry
