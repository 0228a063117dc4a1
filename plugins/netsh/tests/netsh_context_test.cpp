// Line heads (spec §4.1, corpus/NOTES.md "Command head").
#include <doctest/doctest.h>

#include "plugins/netsh/netsh_context.hpp"

using namespace winipsec;
using namespace winipsec::netsh;

namespace {

LineHead head(std::string_view text, std::optional<Context> pushed = std::nullopt) {
    return classify_line(text, 0, text.size(), pushed);
}

std::string_view verb_on(std::string_view text, std::optional<Context> pushed = std::nullopt) {
    const LineHead h = head(text, pushed);
    return text.substr(h.verb);
}

}  // namespace

TEST_CASE("netsh heads in their spellings") {
    CHECK(head("netsh ipsec static add policy name=P").kind == LineKind::Command);
    CHECK(verb_on("netsh ipsec static add policy name=P") == "add policy name=P");
    CHECK(verb_on("Netsh IPsec static add policy") == "add policy");
    CHECK(verb_on("netsh.exe ipsec static add policy") == "add policy");
    CHECK(verb_on("NETSH.EXE  ipsec  static   add policy") == "add policy");
    CHECK(verb_on(R"(C:\Windows\System32\netsh.exe ipsec static add policy)") == "add policy");
    CHECK(verb_on(R"("C:\Windows\System32\netsh.exe" ipsec static add policy)") == "add policy");
    CHECK(verb_on("%SystemRoot%/system32/netsh ipsec static add policy") == "add policy");
    CHECK(verb_on("netsh -r server1 ipsec static add policy") == "add policy");
    CHECK(head("netsh ipsec static add policy").context == Context::Static);
    CHECK(head("netsh ipsec dynamic add rule").context == Context::Dynamic);
    CHECK(head("netsh ipsec stat add rule").context == Context::Static);  // abbreviated context
    CHECK(head("Netsh advfirewall consec add rule").context == Context::Consec);
    CHECK(head("  netsh ipsec static add policy").begin == 2);
}

TEST_CASE("a head with nothing after it is a command with no verb") {
    const LineHead h = head("netsh ipsec static ");
    CHECK(h.kind == LineKind::Command);
    CHECK(h.verb == std::string_view("netsh ipsec static ").size());
}

TEST_CASE("netsh ipsec needs static or dynamic") {
    const LineHead h = head("netsh ipsec show all");
    CHECK(h.kind == LineKind::BadContext);
    CHECK(h.detail == "show");
}

TEST_CASE("netsh with other contexts, and netsh script files") {
    CHECK(head("netsh firewall set opmode disable").kind == LineKind::OtherNetsh);
    CHECK(head("netsh advfirewall firewall add rule name=x").kind == LineKind::OtherNetsh);
    CHECK(head("netsh").kind == LineKind::OtherNetsh);
    const LineHead f = head(R"(netsh -f "c:/temp.ips")");
    CHECK(f.kind == LineKind::ScriptFile);
    CHECK(f.detail == "c:/temp.ips");
    CHECK(head("netsh exec lockdown.txt").detail == "lockdown.txt");
}

TEST_CASE("context-mode lines of a netsh script") {
    CHECK(verb_on("ipsec static add filter desc=x") == "add filter desc=x");
    CHECK(head("ipsec  static add policy").kind == LineKind::Command);
    CHECK(head("ipsec dynamic set config property=ipsecexempt value=3").context == Context::Dynamic);
    CHECK(head("advfirewall consec add rule").context == Context::Consec);
    const LineHead push = head("pushd ipsec dynamic");
    CHECK(push.kind == LineKind::PushContext);
    CHECK(push.context == Context::Dynamic);
    CHECK(head("pushd ipsec static").context == Context::Static);
    CHECK(head("popd").kind == LineKind::PopContext);
    CHECK(head("exit").kind == LineKind::Exit);
    CHECK(head("quit").kind == LineKind::Exit);
}

TEST_CASE("bare commands are netsh only under a pushed context") {
    CHECK(head("add policy name=P").kind == LineKind::Foreign);
    const LineHead h = head("add policy name=P", Context::Static);
    CHECK(h.kind == LineKind::Command);
    CHECK(h.context == Context::Static);
    CHECK(verb_on("delete all", Context::Static) == "delete all");
    CHECK(head("del rule all P", Context::Static).kind == LineKind::Command);
    CHECK(head("set config property=bootmode value=stateful", Context::Dynamic).context == Context::Dynamic);
    CHECK(head("echo hello", Context::Static).kind == LineKind::Foreign);
}

TEST_CASE("other lines are foreign") {
    CHECK(head("del $.t").kind == LineKind::Foreign);
    CHECK(head("Policy=Test").kind == LineKind::Foreign);
    CHECK(head("ipsec -w REG -p x").kind == LineKind::Foreign);  // a renamed ipseccmd (#21)
    CHECK(head("pushd %~dp0").kind == LineKind::Foreign);
    CHECK(head("").kind == LineKind::Foreign);
}

TEST_CASE("a second netsh command glued into a line is found (corpus #12)") {
    const std::string line =
        "netsh ipsec static add filterlist name=\xE5\x8D\xB1netsh ipsec static add filter filterlist=x srcaddr=any";
    const auto at = find_merged_head(line, 19, line.size());
    REQUIRE(at);
    CHECK(line.substr(*at).starts_with("netsh ipsec static add filter"));
    CHECK(find_merged_head(line, *at + 19, line.size()) == std::nullopt);
    const std::string script = "ipsec static add filterlist name=Lipsec static add filter filterlist=x";
    CHECK_FALSE(find_merged_head(script, 16, script.size()));  // `Lipsec` is one word
    const std::string glued = "ipsec static add filterlist name=L ipsec static add filter filterlist=x";
    REQUIRE(find_merged_head(glued, 13, glued.size()));
    CHECK(*find_merged_head(glued, 13, glued.size()) == 35);
    const std::string quoted = R"(netsh ipsec static add policy name=P description="see netsh ipsec static")";
    CHECK_FALSE(find_merged_head(quoted, 19, quoted.size()));
    const std::string exe = "netsh ipsec static add policy name=P netsh.exe  advfirewall consec add rule";
    CHECK(find_merged_head(exe, 19, exe.size()) == 37);
}

TEST_CASE("presentation around a command is trimmed") {
    auto trimmed = [](std::string_view s) {
        const Trimmed t = trim_decorations(s);
        return std::string(s.substr(t.begin, t.end - t.begin));
    };
    CHECK(trimmed(R"(C:\> netsh ipsec static add filter)") == "netsh ipsec static add filter");
    CHECK(trimmed(R"(PS C:\Users\me> netsh ipsec static)") == "netsh ipsec static");
    CHECK(trimmed("{% highlight powershell %}netsh ipsec static add policy{% endhighlight %}") ==
          "netsh ipsec static add policy");
    CHECK(trimmed("@netsh ipsec static add policy") == "netsh ipsec static add policy");
    CHECK(trimmed("\tsrcaddr=me protocol=tcp`  ") == "srcaddr=me protocol=tcp");
    CHECK(trimmed("`netsh ipsec static add policy name=P`") == "netsh ipsec static add policy name=P");
    CHECK(trim_decorations("x=1`").backtick == 3u);
    CHECK_FALSE(trim_decorations("x=1").backtick);
    CHECK(trimmed("   ") == "");
    CHECK(trimmed(R"(C:\Program Files\x> y)") == R"(C:\Program Files\x> y)");  // not a prompt: a space before '>'
}
