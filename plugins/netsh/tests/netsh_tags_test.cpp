// Command tables and tag binding (spec §4.1, §4.2): positional values,
// abbreviations, typos.
#include <doctest/doctest.h>

#include "plugins/netsh/netsh_spelling.hpp"
#include "plugins/netsh/netsh_tags.hpp"

using namespace winipsec;
using namespace winipsec::netsh;

namespace {

ScriptLine line_of(std::string text) {
    ScriptLine l;
    l.text = std::move(text);
    for (std::size_t i = 0; i <= l.text.size(); ++i) l.origin.push_back({1, static_cast<int>(i) + 1});
    return l;
}

struct Bound {
    std::vector<Token> words;
    const CommandSpec* spec = nullptr;
    std::optional<Arguments> args;
    Diagnostics d;
};

// Identifies and binds `text` (verb, object, arguments) in `context`.
std::unique_ptr<Bound> bind(const std::string& text, Context context = Context::Static) {
    auto b = std::make_unique<Bound>();
    const ScriptLine l = line_of(text);
    b->words = lex(l, 0, l.text.size());
    std::size_t first = 0;
    b->spec = identify_command(context, b->words, l.start(), first, b->d);
    if (b->spec) b->args = bind_arguments(*b->spec, std::span<const Token>(b->words).subspan(first), l.start(), b->d);
    return b;
}

std::string value(const Bound& b, std::string_view tag) {
    const Token* t = b.args->get(tag);
    return t ? t->value : "<absent>";
}

}  // namespace

TEST_CASE("commands are found by verb and object, case-insensitively; del abbreviates delete") {
    CHECK(bind("add policy name=P")->spec->id == CommandId::AddPolicy);
    CHECK(bind("ADD FilterList name=L")->spec->id == CommandId::AddFilterList);
    CHECK(bind("add filter filterlist=L srcaddr=me dstaddr=any")->spec->id == CommandId::AddFilter);
    CHECK(bind("del policy all")->spec->id == CommandId::DeletePolicy);
    CHECK(bind("delete all")->spec->id == CommandId::DeleteAll);
    CHECK(bind("set defaultrule policy=P")->spec->id == CommandId::SetDefaultRule);
    CHECK(bind("exportpolicy file=x.ipsec")->spec->id == CommandId::ExportPolicy);
    CHECK(bind("add filterl name=L")->spec->id == CommandId::AddFilterList);  // unique prefix
    CHECK(bind("add rule srcaddr=any dstaddr=any mmpolicy=M", Context::Dynamic)->spec->id == CommandId::DynamicAddRule);
}

TEST_CASE("an unknown command or object is E-NETSH-UNKNOWN-COMMAND with a suggestion") {
    auto b = bind("ad policy name=P");  // prefix of add
    CHECK(b->spec != nullptr);
    b = bind("insert policy name=P");
    CHECK(b->spec == nullptr);
    CHECK(b->d.count("E-NETSH-UNKNOWN-COMMAND") == 1);
    b = bind("add polcy name=P");
    REQUIRE(b->spec == nullptr);
    CHECK(b->d.all()[0].message.find("did you mean 'policy'") != std::string::npos);
    CHECK(b->d.all()[0].where.column == 5);
    b = bind("s policy name=P");  // set or show
    CHECK(b->spec == nullptr);
    CHECK(b->d.all()[0].message.find("ambiguous") != std::string::npos);
    b = bind("add");
    CHECK(b->spec == nullptr);
    CHECK(b->d.all()[0].message.find("needs an object") != std::string::npos);
}

TEST_CASE("`add policyname=X`: the missing space is pointed out (corpus #95)") {
    auto b = bind("add policyname=$Policy assign=yes");
    REQUIRE(b->spec == nullptr);
    REQUIRE(b->d.count("E-NETSH-UNKNOWN-COMMAND") == 1);
    CHECK(b->d.all()[0].message.find("did you mean 'add policy name=$Policy'") != std::string::npos);
}

TEST_CASE("untagged values fill the tags in documented order") {
    auto b = bind("add policy ExamplePolicy");
    REQUIRE(b->args);
    CHECK(value(*b, "name") == "ExamplePolicy");
    CHECK(b->d.all().empty());
    b = bind("add filteraction ExampleFilterAction action=block");
    CHECK(value(*b, "name") == "ExampleFilterAction");
    CHECK(value(*b, "action") == "block");
    b = bind("delete policy China_IP_block_list");
    CHECK(value(*b, "name") == "China_IP_block_list");
}

TEST_CASE("`all` is a keyword of delete; the next untagged value skips its alternatives") {
    auto b = bind("del rule all ipsec_base_config");
    REQUIRE(b->args);
    CHECK(b->args->has("all"));
    CHECK_FALSE(b->args->has("name"));
    CHECK(value(*b, "policy") == "ipsec_base_config");
    CHECK(b->d.all().empty());
    b = bind("del policy all");
    CHECK(b->args->has("all"));
}

TEST_CASE("an untagged value after a tagged one fills the next free tag, with a warning naming it") {
    auto b = bind("add filter filterlist=permitlist srcaddr=any dstaddr=me protocol=tcp dstport=80 WebPort");
    REQUIRE(b->args);
    CHECK(value(*b, "description") == "WebPort");
    REQUIRE(b->d.count("W-NETSH-UNTAGGED-VALUE") == 1);
    CHECK(b->d.all()[0].message.find("'description'") != std::string::npos);
    b = bind("add filter filterlist=block any srcmask=32 dstaddr=me");  // corpus #92
    CHECK(value(*b, "srcaddr") == "any");
    CHECK(b->d.count("W-NETSH-UNTAGGED-VALUE") == 1);
}

TEST_CASE("with every tag given, an untagged value is E-NETSH-EXTRA-VALUE") {
    auto b = bind("add filterlist name=L description=D extra");
    CHECK_FALSE(b->args);
    CHECK(b->d.count("E-NETSH-EXTRA-VALUE") == 1);
}

TEST_CASE("a unique abbreviation resolves silently") {
    auto b = bind("add filter desc=x filterlist=L srca=me dsta=any proto=tcp mir=no");
    REQUIRE(b->args);
    CHECK(value(*b, "description") == "x");
    CHECK(value(*b, "srcaddr") == "me");
    CHECK(value(*b, "protocol") == "tcp");
    CHECK(value(*b, "mirrored") == "no");
    CHECK(b->d.all().empty());
    b = bind("add filteraction name=A qmsec=\"AH[MD5]\"");
    CHECK(value(*b, "qmsecmethods") == "AH[MD5]");
}

TEST_CASE("an ambiguous abbreviation takes the first tag in documented order, with a warning") {
    auto b = bind("add rule name=3 policy=P filter=China_block filteraction=Block");
    REQUIRE(b->args);
    CHECK(value(*b, "filterlist") == "China_block");
    CHECK(value(*b, "filteraction") == "Block");
    REQUIRE(b->d.count("W-NETSH-AMBIGUOUS-TAG") == 1);
    CHECK(b->d.all()[0].message.find("filterlist, filteraction") != std::string::npos);
    CHECK(b->d.all()[0].where.column == 26);
}

TEST_CASE("an ambiguous abbreviation whose first match is already given is a duplicate") {
    auto b = bind("add rule name=R policy=P filterlist=L filter=A");
    CHECK_FALSE(b->args);
    CHECK(b->d.count("E-NETSH-DUPLICATE-TAG") == 1);
}

TEST_CASE("unknown tags are errors with a suggestion (corpus #95)") {
    auto b = bind("add rule name=R policy=P filterlist=L filteration=A contype=all active=yes");
    CHECK_FALSE(b->args);
    CHECK(b->d.count("E-NETSH-UNKNOWN-TAG") == 3);
    CHECK(b->d.all()[0].message.find("did you mean 'filteraction'") != std::string::npos);
    CHECK(b->d.all()[1].message.find("did you mean 'conntype'") != std::string::npos);
    CHECK(b->d.all()[2].message.find("did you mean 'activate'") != std::string::npos);
    b = bind("add filter filterlist=F srcaddy=Any dstaddr=Any");
    CHECK(b->d.count("E-NETSH-UNKNOWN-TAG") == 1);
    CHECK(b->d.count("E-NETSH-MISSING-TAG") == 0);  // srcaddr: already suggested
    CHECK(b->d.all()[0].message.find("did you mean 'srcaddr'") != std::string::npos);
    CHECK(b->d.all()[0].where.column == 25);
}

TEST_CASE("`dstadd` is a unique prefix of dstaddr and resolves like any abbreviation") {
    auto b = bind("add filter filterlist=WebFilter srcaddr=Any dstadd=Any protocol=TCP dstport=80");
    REQUIRE(b->args);
    CHECK(value(*b, "dstaddr") == "Any");
}

TEST_CASE("the same tag twice is E-NETSH-DUPLICATE-TAG; rootca may repeat") {
    auto b = bind("add policy name=P name=Q");
    CHECK_FALSE(b->args);
    CHECK(b->d.count("E-NETSH-DUPLICATE-TAG") == 1);
    b = bind("add rule name=R policy=P filterlist=L filteraction=A rootca=\"CN=A\" rootca=\"CN=B\"");
    REQUIRE(b->args);
    CHECK(b->args->in_order.size() == 6);
    b = bind("set policy name=P guid={1}");  // alternatives
    CHECK(b->d.count("E-NETSH-DUPLICATE-TAG") == 1);
}

TEST_CASE("a missing tag is still reported when the unknown tag suggests another one") {
    auto b = bind("add rule name=R policy=P filterlist=L contype=all");
    CHECK_FALSE(b->args);
    CHECK(b->d.count("E-NETSH-UNKNOWN-TAG") == 1);
    CHECK(b->d.count("E-NETSH-MISSING-TAG") == 1);
}

TEST_CASE("a missing required tag is E-NETSH-MISSING-TAG at the command") {
    auto b = bind("add rule name=R policy=P filterlist=L");
    CHECK_FALSE(b->args);
    REQUIRE(b->d.count("E-NETSH-MISSING-TAG") == 1);
    CHECK(b->d.all()[0].message.find("filteraction") != std::string::npos);
    CHECK(b->d.all()[0].where.column == 1);
    b = bind("set policy assign=yes");
    CHECK(b->d.all()[0].message.find("name or guid") != std::string::npos);
    b = bind("delete rule policy=P");
    CHECK(b->d.all()[0].message.find("name or id or all") != std::string::npos);
}

TEST_CASE("consec tags: only unknown ones are reported") {
    const ScriptLine l = line_of("add rule name=x endpointl=any endpoint=any endpoint2=any");
    const auto words = lex(l, 0, l.text.size());
    Diagnostics d;
    std::size_t first = 0;
    const CommandSpec* spec = identify_command(Context::Consec, words, l.start(), first, d);
    REQUIRE(spec);
    report_unknown_tags(*spec, std::span<const Token>(words).subspan(first), d);
    REQUIRE(d.all().size() == 1);
    CHECK(d.all()[0].code == "E-NETSH-UNKNOWN-TAG");
    CHECK(d.all()[0].message.find("did you mean 'endpoint1'") != std::string::npos);
}

TEST_CASE("spelling: edit distance and suggestions") {
    CHECK(edit_distance("srcaddy", "srcaddr") == 1);
    CHECK(edit_distance("filteration", "filteraction") == 1);
    CHECK(edit_distance("contype", "conntype") == 1);
    CHECK(edit_distance("active", "activate") == 2);
    CHECK(edit_distance("PERM", "perm") == 0);
    CHECK(edit_distance("ab", "ba") == 1);
    const std::vector<std::string> names = {"Block", "Permit"};
    CHECK(closest("Perm", names) == std::optional<std::string>("Permit"));
    CHECK(closest("Blok", names) == std::optional<std::string>("Block"));
    CHECK_FALSE(closest("zzzzzz", names));
    CHECK(did_you_mean(std::nullopt).empty());
    const std::string_view words[] = {"filterlist", "filteraction"};
    CHECK(match_word(words, "filter").how == WordMatch::How::Ambiguous);
    CHECK(match_word(words, "FILTERL").how == WordMatch::How::Prefix);
    CHECK(match_word(words, "filteraction").how == WordMatch::How::Exact);
    CHECK(match_word(words, "x").how == WordMatch::How::None);
}
