#include "ike/swanctl_conf.hpp"

#include <fmt/format.h>

#include "ike/ike_conf_tree.hpp"

namespace winipsec::ike {
namespace {

// swanctl.conf values need quotes when they hold anything but plain words
// (settings parser: `#`, `{`, `}`, `=`, `,` and spaces end a bare value).
std::string quoted(const std::string& v) {
    const bool plain = !v.empty() && v.find_first_of(" \t#{}=,\"'\\") == std::string::npos;
    if (plain) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

void render(std::string& out, const ConfNode& node, int depth) {
    const std::string indent(static_cast<std::size_t>(depth) * 4, ' ');
    switch (node.kind) {
        case ConfNode::Kind::Value: out += fmt::format("{}{} = {}\n", indent, node.key, quoted(node.value)); break;
        case ConfNode::Kind::List: {
            std::string items;
            for (const auto& i : node.items) items += (items.empty() ? "" : ", ") + quoted(i);
            out += fmt::format("{}{} = {}\n", indent, node.key, items);
            break;
        }
        case ConfNode::Kind::Section:
            out += fmt::format("{}{} {{\n", indent, node.key);
            for (const auto& c : node.children) render(out, c, depth + 1);
            out += fmt::format("{}}}\n", indent);
            break;
    }
}

// swanctl reads a secret starting with 0x as hex and 0s as base64, quoted
// or not; such a key is written in hex so it loads as the same bytes.
std::string secret_value(const Secret& secret) {
    const std::string& k = secret.reveal();
    if (!k.starts_with("0x") && !k.starts_with("0s")) return quoted(k);
    std::string hex = "0x";
    for (unsigned char c : k) hex += fmt::format("{:02x}", c);
    return hex;
}

}  // namespace

std::string render_swanctl_conf(const IkeConfig& config, bool show_secrets) {
    std::string out = "# swanctl.conf written by winipsec: IKEv1 connections for the policy's negotiate rules\n";
    out += "connections {\n";
    for (const auto& c : config.connections) {
        out += fmt::format("    # {}\n", c.where.to_string());
        render(out, connection_tree(c), 1);
    }
    out += "}\n";
    if (config.shared_keys.empty()) return out;
    out += "secrets {\n";
    for (const auto& k : config.shared_keys) {
        out += fmt::format("    ike-{} {{\n", k.id);
        for (std::size_t i = 0; i < k.owners.size(); ++i)
            out += fmt::format("        id-{} = {}\n", i + 1, quoted(k.owners[i]));
        out += fmt::format("        secret = {}\n", show_secrets ? secret_value(k.secret) : quoted(Secret::redacted));
        out += "    }\n";
    }
    out += "}\n";
    return out;
}

}  // namespace winipsec::ike
