#include <doctest/doctest.h>

#include "model/ip_address.hpp"

using winipsec::IpAddress;
using winipsec::IpFamily;

TEST_CASE("dotted masks become prefix lengths; non-contiguous masks are refused") {
    CHECK(IpAddress::parse("255.255.0.0")->mask_prefix_length() == 16);
    CHECK(IpAddress::parse("255.255.255.255")->mask_prefix_length() == 32);
    CHECK(IpAddress::parse("0.0.0.0")->mask_prefix_length() == 0);
    CHECK_FALSE(IpAddress::parse("255.0.255.0")->mask_prefix_length().has_value());
}

TEST_CASE("host bits outside the mask are detected (E18)") {
    const auto a = *IpAddress::parse("10.1.2.3");
    CHECK(a.has_host_bits(16));
    CHECK(a.masked(16).to_string() == "10.1.0.0");
    CHECK_FALSE(IpAddress::parse("10.1.0.0")->has_host_bits(16));
}

TEST_CASE("IPv6 parses and prints canonically") {
    const auto a = IpAddress::parse("2001:DB8:0::1");
    REQUIRE(a);
    CHECK(a->family == IpFamily::V6);
    CHECK(a->to_string() == "2001:db8::1");
    CHECK_FALSE(IpAddress::parse("1.2.3").has_value());
    CHECK_FALSE(IpAddress::parse("me").has_value());
}
