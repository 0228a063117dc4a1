// Byte-level tests of export/netsh_quoting.cpp, then of the same text going
// through the whole writer and back through winipsec's netsh importer.
#include <doctest/doctest.h>

#include "export/netsh_quoting.hpp"
#include "export/netsh_script_writer.hpp"
#include "roundtrip_support.hpp"

using namespace winipsec;
using namespace winipsec::netsh_script;

TEST_CASE("quoted() wraps in double quotes and doubles % for cmd.exe; cmd's other specials stay as they are") {
    CHECK(quoted("a b") == "\"a b\"");
    CHECK(quoted("") == "\"\"");
    CHECK(quoted("50%") == "\"50%%\"");
    CHECK(quoted("%PATH%") == "\"%%PATH%%\"");
    CHECK(quoted("a&b|c<d>e^f(g)h!i") == "\"a&b|c<d>e^f(g)h!i\"");
    CHECK(quoted("\xE4\xB8\xAD\xE6\x96\x87") == "\"\xE4\xB8\xAD\xE6\x96\x87\"");  // UTF-8 bytes kept as they are
}

TEST_CASE("carry_text: netsh has no escape for a double quote, so it becomes an apostrophe; line breaks blanks") {
    const CarriedText q = carry_text("say \"hi\"");
    CHECK(q.text == "say 'hi'");
    REQUIRE(q.changes.size() == 1);
    CHECK(q.changes[0] == "double quotes became apostrophes");

    const CarriedText nl = carry_text("two\r\nlines\x01");
    CHECK(nl.text == "two  lines ");
    CHECK(nl.changes.size() == 2);

    const CarriedText same = carry_text("tab\tand \xE2\x80\x9Csmart\xE2\x80\x9D quotes, 100% & more");
    CHECK(same.text == "tab\tand \xE2\x80\x9Csmart\xE2\x80\x9D quotes, 100% & more");
    CHECK(same.changes.empty());
}

TEST_CASE("carry_root_ca: a double quote becomes netsh's \\' (its documented escape in rootca): no change") {
    const CarriedText ca = carry_root_ca("CN=\"Corp, Inc\" Root");
    CHECK(ca.text == "CN=\\'Corp, Inc\\' Root");
    CHECK(ca.changes.empty());
    // A \' that was already there cannot be told from an escaped quote.
    CHECK(carry_root_ca("CN=O\\'Brien").changes.size() == 1);
}

TEST_CASE("comment_text: % doubled (cmd expands it in rem lines, and %~ there aborts the script), controls as ?") {
    CHECK(comment_text("from %~dp0\\in.reg") == "from %%~dp0\\in.reg");
    CHECK(comment_text("a\tb\nc") == "a?b?c");
}

TEST_CASE("variable_lookalike finds what winipsec's importer would take for an unexpanded batch variable") {
    CHECK(variable_lookalike("%PATH%") == "%PATH%");
    CHECK(variable_lookalike("arg %1 here") == "%1");
    CHECK(variable_lookalike("%~dp0") == "%~");
    CHECK(variable_lookalike("%%i") == "%%i");
    CHECK(variable_lookalike("50% off") == "");
    CHECK(variable_lookalike("50% and 60 %") == "");  // a blank inside is no variable name
    CHECK(variable_lookalike("100%") == "");
}

TEST_CASE("ends_in_backslash and has_non_ascii") {
    CHECK(ends_in_backslash("C:\\"));
    CHECK_FALSE(ends_in_backslash("C:\\x"));
    CHECK(has_non_ascii("\xE8\xA7\x84\xE5\x88\x99"));
    CHECK_FALSE(has_non_ascii("plain"));
}

namespace {

// One filter list, named and described by `text`, through the writer and back.
roundtrip::RoundTrip list_named(const std::string& text) {
    PolicyStore store;
    FilterList l;
    l.name = text;
    l.description = text;
    Filter f;
    f.source = FilterAddress::me();
    f.description = text;
    l.filters.push_back(f);
    store.filter_lists.push_back(l);
    return roundtrip::round_trip(store);
}

}  // namespace

TEST_CASE("text netsh can carry reads back byte for byte through cmd's and netsh's rules") {
    for (const std::string text : {
             "plain",
             "with blanks",
             " leading and trailing ",
             "cmd specials & | < > ^ ( ) !",
             "50% off",
             "100%",
             "semi;colon,comma=equals",
             "tag=\"like\"=no",  // the quotes become apostrophes (below), the rest stays
             "\xE2\x80\x9Csmart quotes\xE2\x80\x9D and \xE2\x80\x98single\xE2\x80\x99",
             "back\\slash in the middle",
             "tab\tinside",
             "\xE5\x85\x81\xE8\xAE\xB8 GBK-era name",
             "apostrophe's",
         }) {
        INFO("text: [", text, "]");
        const auto rt = list_named(text);
        CHECK_FALSE(rt.read.has_errors());
        const CarriedText carried = carry_text(text);
        REQUIRE(rt.read_back.filter_lists.size() == 1);
        const FilterList& l = rt.read_back.filter_lists[0];
        CHECK(l.name == carried.text);
        CHECK(l.description == carried.text);
        REQUIRE(l.filters.size() == 1);
        CHECK(l.filters[0].description == carried.text);
        CHECK(rt.same() == carried.changes.empty());
        CHECK((rt.written.count("W-EXPORT-RENAMED") > 0) == !carried.changes.empty());
    }
}

TEST_CASE("a value that looks like a batch variable: Windows reads it literally, winipsec does not; warned") {
    const auto rt = list_named("%TEMP% list");
    CHECK(rt.written.count("W-EXPORT-PERCENT") >= 1);
    CHECK(rt.script.find("name=\"%%TEMP%% list\"") != std::string::npos);
    CHECK_FALSE(rt.same());  // the documented limitation: the command is not applied on reading back
}

TEST_CASE("a value ending in a backslash is written, with a warning that netsh may read \\\" as a quote") {
    const auto rt = list_named("share\\");
    CHECK(rt.written.count("W-EXPORT-BACKSLASH") >= 1);
    CHECK(rt.script.find("name=\"share\\\"") != std::string::npos);
}
