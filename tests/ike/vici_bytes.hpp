#pragma once
// Byte-vector helpers for the VICI unit tests: spell wire bytes the way the
// README's encoding example does (type bytes, lengths and text mixed).
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <variant>
#include <vector>

#include "ike/vici_codec.hpp"

namespace winipsec::ike::test {

// A piece of a byte vector: a number (one byte) or text (its bytes).
using BytePiece = std::variant<int, std::string_view>;

inline ViciBytes bytes(std::initializer_list<BytePiece> pieces) {
    ViciBytes out;
    for (const auto& piece : pieces) {
        if (const int* number = std::get_if<int>(&piece))
            out.push_back(static_cast<std::uint8_t>(*number));
        else
            for (char c : std::get<std::string_view>(piece)) out.push_back(static_cast<std::uint8_t>(c));
    }
    return out;
}

// The README's "Encoding example", byte for byte:
//   key1 = value1
//   section1 = { sub-section = { key2 = value2 }  list1 = [ item1, item2 ] }
inline ViciBytes readme_example_bytes() {
    return bytes({3,       4,       "key1",
                  0,       6,       "value1",       //
                  1,       8,       "section1",     //
                  1,       11,      "sub-section",  //
                  3,       4,       "key2",
                  0,       6,       "value2",  //
                  2,                           //
                  4,       5,       "list1",   //
                  5,       0,       5,
                  "item1", 5,       0,
                  5,       "item2",  //
                  6,                 //
                  2});
}

inline ViciMessage readme_example_message() {
    ViciMessage message;
    message.add("key1", "value1");
    ViciSection& section1 = message.add_section("section1");
    section1.add_section("sub-section").add("key2", "value2");
    section1.add_list("list1", {"item1", "item2"});
    return message;
}

}  // namespace winipsec::ike::test
