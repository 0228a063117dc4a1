// filter_line_edits: which edits of a netsh script can be read line by line,
// and what the edited lines add.
#include <doctest/doctest.h>

#include <memory>

#include "import/filter_line_edits.hpp"
#include "plugins/netsh/netsh_importer.hpp"

namespace winipsec {
namespace {

DecodedText text(std::string utf8) {
    return DecodedText{std::make_shared<const std::string>("policy.bat"), std::move(utf8), "UTF-8", {}};
}

const std::string head =
    "@echo off\n"
    "netsh ipsec static add policy name=\"P\"\n"
    "netsh ipsec static add filteraction name=\"Block\" action=block\n";
const std::string tail =
    "netsh ipsec static add rule name=\"R\" policy=\"P\" filterlist=\"bl\" filteraction=\"Block\"\n"
    "netsh ipsec static set policy name=\"P\" assign=yes\n";

std::string filter_line(const std::string& src, int port) {
    return "netsh ipsec static add filter filterlist=\"bl\" srcaddr=" + src +
           " srcmask=24 dstaddr=me protocol=UDP dstport=" + std::to_string(port) + "\n";
}

TEST_CASE("one edited filter line: the old and the new filter, at that line") {
    const auto before = text(head + filter_line("10.0.0.0", 9) + filter_line("10.0.1.0", 9) + tail);
    const auto after = text(head + filter_line("10.0.0.0", 9) + filter_line("10.0.1.0", 10) + tail);
    const auto edits = filter_line_edits(netsh_importer(), before, after, true);
    REQUIRE_MESSAGE(edits.has_value(), (edits ? "" : edits.error()));
    REQUIRE(edits->size() == 1);
    const auto& e = edits->front();
    CHECK(e.line == 5);
    CHECK(e.list == "bl");
    CHECK(e.before.destination_port == 9);
    CHECK(e.after.destination_port == 10);
    CHECK(e.after.where.to_string() == "policy.bat:5:1");
    CHECK_FALSE(e.diagnostics.has_errors());
}

TEST_CASE("identical texts: no edit") {
    const auto t = text(head + filter_line("10.0.0.0", 9) + tail);
    const auto edits = filter_line_edits(netsh_importer(), t, t, true);
    REQUIRE(edits.has_value());
    CHECK(edits->empty());
}

TEST_CASE("edits the quick reload refuses, with the reason") {
    const auto before = text(head + filter_line("10.0.0.0", 9) + tail);
    auto reason = [&](const std::string& after_text, bool only_adds = true) {
        const auto edits = filter_line_edits(netsh_importer(), before, text(after_text), only_adds);
        return edits ? std::string("accepted") : edits.error();
    };
    CHECK(reason(head + filter_line("10.0.0.0", 9) + filter_line("10.0.1.0", 9) + tail).find("added or removed") !=
          std::string::npos);
    CHECK(reason(head + filter_line("10.0.0.0", 10) + tail, false).find("removes or changes") != std::string::npos);
    CHECK(reason(head + "netsh ipsec static add filter filterlist=\"bl\" srcaddr=%NET% dstaddr=me\n" + tail)
              .find("stand alone") != std::string::npos);
    CHECK(reason(head + "netsh ipsec static add filter filterlist=\"other\" srcaddr=10.0.0.0 srcmask=24 dstaddr=me "
                        "protocol=UDP dstport=9\n" + tail)
              .find("another filter list") != std::string::npos);
    CHECK(reason(head + "netsh ipsec static add filter filterlist=\"bl\" srcaddr=10.0.0.0 srcmask=99 dstaddr=me\n" +
                 tail)
              .find("errors") != std::string::npos);
    CHECK(reason(head + "netsh ipsec static delete filter filterlist=\"bl\" srcaddr=10.0.0.0 dstaddr=me\n" + tail) !=
          "accepted");
}

TEST_CASE("netsh: which lines stand alone, which scripts only add") {
    const Importer& netsh = netsh_importer();
    CHECK(netsh.line_stands_alone("netsh ipsec static add filter filterlist=bl srcaddr=10.0.0.1 dstaddr=me"));
    CHECK(netsh.line_stands_alone("  NETSH.exe IPsec Static ADD Filter filterlist=\"a b\" srcaddr=any dstaddr=me"));
    CHECK_FALSE(netsh.line_stands_alone("add filter filterlist=bl srcaddr=10.0.0.1 dstaddr=me"));  // -f context
    CHECK_FALSE(netsh.line_stands_alone("netsh ipsec static add filter filterlist=bl srcaddr=%X% dstaddr=me"));
    CHECK_FALSE(netsh.line_stands_alone("netsh ipsec static add filter filterlist=bl dstaddr=me > log.txt"));
    CHECK_FALSE(netsh.line_stands_alone("netsh ipsec static add filterlist name=bl"));
    CHECK_FALSE(netsh.line_stands_alone(
        "netsh ipsec static add filter filterlist=bl srcaddr=any dstaddr=menetsh ipsec static add filter "
        "filterlist=bl srcaddr=any dstaddr=me"));
    const Diagnostics clean;
    CHECK(netsh.only_adds(text(head + filter_line("10.0.0.0", 9) + tail), clean));
    CHECK_FALSE(netsh.only_adds(text(head + "netsh ipsec static delete filterlist name=bl\n"), clean));
    CHECK_FALSE(netsh.only_adds(text(head + "netsh ipsec static set store location=domain\n"), clean));
    // A skipped duplicate depends on the line it repeats.
    const auto repeated = text(head + filter_line("10.0.0.0", 9) + filter_line("10.0.0.0", 9) + tail);
    PolicyStore store;
    Diagnostics found;
    netsh.import(repeated, {}, store, found);
    CHECK(found.count("W-NETSH-DUPLICATE-FILTER") == 1);
    CHECK_FALSE(netsh.only_adds(repeated, found));
}

}  // namespace
}  // namespace winipsec
