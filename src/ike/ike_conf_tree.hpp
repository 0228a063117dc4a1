#pragma once
// A connection as the nested key/value tree charon reads, in one place for
// both spellings of it: swanctl.conf text and the VICI load-conn request
// (spec linux-targets.md §1.5, §1.7). Keys and values are swanctl's.
#include <string>
#include <vector>

#include "ike/ike_config.hpp"

namespace winipsec::ike {

struct ConfNode {
    enum class Kind { Value, List, Section };
    Kind kind = Kind::Section;
    std::string key;
    std::string value;               // Value
    std::vector<std::string> items;  // List
    std::vector<ConfNode> children;  // Section

    static ConfNode section(std::string key) { return {Kind::Section, std::move(key), {}, {}, {}}; }
    ConfNode& add_value(std::string key, std::string value);
    ConfNode& add_list(std::string key, std::vector<std::string> items);
    ConfNode& add_section(std::string key);
};

// The section named after the connection, as load-conn takes it.
ConfNode connection_tree(const IkeConnection& connection);

}  // namespace winipsec::ike
