#include "plugins/netsh/netsh_tags.hpp"

#include <algorithm>
#include <array>
#include <bitset>

#include <fmt/format.h>

#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {

constexpr bool req = true;
constexpr std::size_t kMaxTags = 64;

// Tag tables in the positional order of the built-in help (spec §4.2). The
// order matters twice: untagged values fill the first free tag, and an
// ambiguous abbreviation resolves to the first tag it matches.
constexpr TagSpec add_policy[] = {{"name", req},       {"description"}, {"mmpfs"},
                                  {"qmpermm"},         {"mmlifetime"},  {"activatedefaultrule"},
                                  {"pollinginterval"}, {"assign"},      {"mmsecmethods"}};
constexpr TagSpec set_policy[] = {{"name", req, 1},    {"guid", req, 1}, {"newname"},    {"description"},
                                  {"mmpfs"},           {"qmpermm"},      {"mmlifetime"}, {"activatedefaultrule"},
                                  {"pollinginterval"}, {"assign"},       {"gponame"},    {"mmsecmethods"}};
constexpr TagSpec name_or_all[] = {{"name", req, 1}, {"all", req, 1, false, true}};
constexpr TagSpec add_filterlist[] = {{"name", req}, {"description"}};
constexpr TagSpec set_filterlist[] = {{"name", req, 1}, {"guid", req, 1}, {"newname"}, {"description"}};
constexpr TagSpec add_filter[] = {{"filterlist", req}, {"srcaddr", req}, {"dstaddr", req}, {"description"},
                                  {"protocol"},        {"mirrored"},     {"srcmask"},      {"dstmask"},
                                  {"srcport"},         {"dstport"}};
constexpr TagSpec delete_filter[] = {{"filterlist", req}, {"srcaddr", req}, {"dstaddr", req},
                                     {"protocol"},        {"mirrored"},     {"srcmask"},
                                     {"dstmask"},         {"srcport"},      {"dstport"}};
constexpr TagSpec add_filteraction[] = {{"name", req}, {"description"}, {"qmpfs"},       {"inpass"},
                                        {"soft"},      {"action"},      {"qmsecmethods"}};
constexpr TagSpec set_filteraction[] = {{"name", req, 1}, {"guid", req, 1}, {"newname"}, {"description"}, {"qmpfs"},
                                        {"inpass"},       {"soft"},         {"action"},  {"qmsecmethods"}};
constexpr TagSpec add_rule[] = {{"name", req},
                                {"policy", req},
                                {"filterlist", req},
                                {"filteraction", req},
                                {"tunnel"},
                                {"conntype"},
                                {"activate"},
                                {"description"},
                                {"kerberos"},
                                {"psk"},
                                {"rootca", false, 0, true}};
constexpr TagSpec set_rule[] = {
    {"name", req, 1},          {"id", req, 1}, {"policy", req}, {"newname"},  {"description"}, {"filterlist"},
    {"filteraction"},          {"tunnel"},     {"conntype"},    {"activate"}, {"kerberos"},    {"psk"},
    {"rootca", false, 0, true}};
constexpr TagSpec delete_rule[] = {{"name", req, 1}, {"id", req, 1}, {"all", req, 1, false, true}, {"policy", req}};
constexpr TagSpec set_defaultrule[] = {
    {"policy", req}, {"qmpfs"}, {"activate"}, {"qmsecmethods"}, {"kerberos"}, {"psk"}, {"rootca", false, 0, true}};
constexpr TagSpec set_store[] = {{"location", req}, {"domain"}};
constexpr TagSpec set_batch[] = {{"mode", req}};
constexpr TagSpec file_only[] = {{"file", req}};
constexpr TagSpec none[] = {{"", false}};

// netsh ipsec dynamic (spec §5).
constexpr TagSpec dynamic_add_rule[] = {{"srcaddr", req},
                                        {"dstaddr", req},
                                        {"mmpolicy", req},
                                        {"qmpolicy"},
                                        {"protocol"},
                                        {"srcport"},
                                        {"dstport"},
                                        {"mirrored"},
                                        {"conntype"},
                                        {"actioninbound"},
                                        {"actionoutbound"},
                                        {"srcmask"},
                                        {"dstmask"},
                                        {"tunneldstaddress"},
                                        {"kerberos"},
                                        {"psk"},
                                        {"rootca", false, 0, true}};
constexpr TagSpec dynamic_set_config[] = {{"property", req}, {"value", req}};

// netsh advfirewall consec add rule (spec §11.1 plus the built-in help) [I:
// the list may miss rare tags; it is used only to point out typos].
constexpr TagSpec consec_add_rule[] = {{"name"},
                                       {"endpoint1"},
                                       {"endpoint2"},
                                       {"action"},
                                       {"description"},
                                       {"mode"},
                                       {"enable"},
                                       {"profile"},
                                       {"type"},
                                       {"localtunnelendpoint"},
                                       {"remotetunnelendpoint"},
                                       {"remotetunnelendpointfqdn"},
                                       {"port1"},
                                       {"port2"},
                                       {"protocol"},
                                       {"interfacetype"},
                                       {"auth1"},
                                       {"auth1psk"},
                                       {"auth1ca"},
                                       {"auth1healthcert"},
                                       {"auth1ecdsap256ca"},
                                       {"auth1ecdsap256healthcert"},
                                       {"auth1ecdsap384ca"},
                                       {"auth1ecdsap384healthcert"},
                                       {"auth1kerbproxyfqdn"},
                                       {"auth1kerbproxycert"},
                                       {"auth2"},
                                       {"auth2ca"},
                                       {"auth2healthcert"},
                                       {"auth2ecdsap256ca"},
                                       {"auth2ecdsap256healthcert"},
                                       {"auth2ecdsap384ca"},
                                       {"auth2ecdsap384healthcert"},
                                       {"qmpfs"},
                                       {"qmsecmethods"},
                                       {"exemptipsecprotectedconnections"},
                                       {"applyauthz"}};

using C = CommandId;
constexpr Context S = Context::Static;
constexpr Context D = Context::Dynamic;
constexpr Context X = Context::Consec;
constexpr bool lenient = true;

const CommandSpec commands[] = {
    {C::AddPolicy, S, "add", "policy", add_policy},
    {C::AddFilterList, S, "add", "filterlist", add_filterlist},
    {C::AddFilter, S, "add", "filter", add_filter},
    {C::AddFilterAction, S, "add", "filteraction", add_filteraction},
    {C::AddRule, S, "add", "rule", add_rule},
    {C::SetPolicy, S, "set", "policy", set_policy},
    {C::SetFilterList, S, "set", "filterlist", set_filterlist},
    {C::SetFilterAction, S, "set", "filteraction", set_filteraction},
    {C::SetRule, S, "set", "rule", set_rule},
    {C::SetDefaultRule, S, "set", "defaultrule", set_defaultrule},
    {C::SetStore, S, "set", "store", set_store},
    {C::SetBatch, S, "set", "batch", set_batch},
    {C::DeletePolicy, S, "delete", "policy", name_or_all},
    {C::DeleteFilterList, S, "delete", "filterlist", name_or_all},
    {C::DeleteFilter, S, "delete", "filter", delete_filter},
    {C::DeleteFilterAction, S, "delete", "filteraction", name_or_all},
    {C::DeleteRule, S, "delete", "rule", delete_rule},
    {C::DeleteAll, S, "delete", "all", std::span<const TagSpec>()},
    {C::Show, S, "show", "all", none, lenient},
    {C::Show, S, "show", "policy", none, lenient},
    {C::Show, S, "show", "filterlist", none, lenient},
    {C::Show, S, "show", "filteraction", none, lenient},
    {C::Show, S, "show", "rule", none, lenient},
    {C::Show, S, "show", "gpoassignedpolicy", none, lenient},
    {C::Show, S, "show", "store", none, lenient},
    {C::ExportPolicy, S, "exportpolicy", "", file_only},
    {C::ImportPolicy, S, "importpolicy", "", file_only},

    {C::DynamicNotImported, D, "add", "mmpolicy", none, lenient},
    {C::DynamicNotImported, D, "add", "qmpolicy", none, lenient},
    {C::DynamicAddRule, D, "add", "rule", dynamic_add_rule},
    {C::DynamicNotImported, D, "set", "mmpolicy", none, lenient},
    {C::DynamicNotImported, D, "set", "qmpolicy", none, lenient},
    {C::DynamicNotImported, D, "set", "rule", none, lenient},
    {C::DynamicSetConfig, D, "set", "config", dynamic_set_config},
    {C::DynamicNotImported, D, "delete", "mmpolicy", none, lenient},
    {C::DynamicNotImported, D, "delete", "qmpolicy", none, lenient},
    {C::DynamicNotImported, D, "delete", "rule", none, lenient},
    {C::DynamicNotImported, D, "delete", "mmsas", none, lenient},
    {C::DynamicNotImported, D, "delete", "qmsas", none, lenient},
    {C::DynamicDeleteAll, D, "delete", "all", std::span<const TagSpec>()},
    {C::DynamicShow, D, "show", "all", none, lenient},
    {C::DynamicShow, D, "show", "mmpolicy", none, lenient},
    {C::DynamicShow, D, "show", "qmpolicy", none, lenient},
    {C::DynamicShow, D, "show", "mmfilter", none, lenient},
    {C::DynamicShow, D, "show", "qmfilter", none, lenient},
    {C::DynamicShow, D, "show", "rule", none, lenient},
    {C::DynamicShow, D, "show", "stats", none, lenient},
    {C::DynamicShow, D, "show", "mmsas", none, lenient},
    {C::DynamicShow, D, "show", "qmsas", none, lenient},
    {C::DynamicShow, D, "show", "config", none, lenient},

    {C::ConsecAddRule, X, "add", "rule", consec_add_rule, lenient},
    {C::ConsecOther, X, "set", "rule", none, lenient},
    {C::ConsecOther, X, "delete", "rule", none, lenient},
    {C::ConsecOther, X, "show", "rule", none, lenient},
};

// The command table by context and verb, built once: identify_command runs for
// every line of a script and used to rebuild these lists each time.
struct VerbCommands {
    std::vector<const CommandSpec*> commands;  // in table order
    std::vector<std::string_view> objects;     // of those commands
};
struct ContextCommands {
    std::vector<std::string_view> verbs;  // in table order
    std::vector<VerbCommands> by_verb;    // parallel to verbs
};

const ContextCommands& commands_in(Context context) {
    static const auto table = [] {
        std::array<ContextCommands, 3> out;
        for (const auto& c : commands) {
            auto& ctx = out[static_cast<std::size_t>(c.context)];
            auto it = std::find(ctx.verbs.begin(), ctx.verbs.end(), c.verb);
            if (it == ctx.verbs.end()) {
                ctx.verbs.push_back(c.verb);
                ctx.by_verb.emplace_back();
                it = std::prev(ctx.verbs.end());
            }
            auto& v = ctx.by_verb[static_cast<std::size_t>(it - ctx.verbs.begin())];
            v.commands.push_back(&c);
            v.objects.push_back(c.object);
        }
        return out;
    }();
    return table[static_cast<std::size_t>(context)];
}

const std::vector<std::string_view>& verbs_of(Context context) {
    return commands_in(context).verbs;
}

std::string join_names(std::span<const std::string_view> names) {
    std::string out;
    for (const auto n : names) out += fmt::format("{}{}", out.empty() ? "" : ", ", n);
    return out;
}

// The tag names of a command, in table order (built once per command).
std::span<const std::string_view> tag_names(const CommandSpec& spec) {
    static const auto names = [] {
        std::vector<std::vector<std::string_view>> out;
        for (const auto& c : commands) {
            auto& n = out.emplace_back();
            for (const auto& t : c.tags) n.push_back(t.name);
        }
        return out;
    }();
    if (&spec >= std::begin(commands) && &spec < std::end(commands))
        return names[static_cast<std::size_t>(&spec - commands)];
    thread_local std::vector<std::string_view> other;  // a spec from outside the table
    other.clear();
    for (const auto& t : spec.tags) other.push_back(t.name);
    return other;
}

}  // namespace

const char* to_string(Context context) {
    switch (context) {
        case Context::Static: return "ipsec static";
        case Context::Dynamic: return "ipsec dynamic";
        case Context::Consec: return "advfirewall consec";
    }
    return "?";
}

std::string CommandSpec::title() const {
    return object.empty() ? std::string(verb) : fmt::format("{} {}", verb, object);
}

bool is_verb(Context context, std::string_view word) {
    return match_word(verbs_of(context), word).how != WordMatch::How::None;
}

const CommandSpec* identify_command(Context context, std::span<const Token> words, const SourceLocation& where,
                                    std::size_t& argument_index, Diagnostics& diagnostics) {
    const auto head = [&] { return fmt::format("netsh {}", to_string(context)); };
    const auto& verbs = verbs_of(context);
    if (words.empty()) {
        diagnostics.error("E-NETSH-UNKNOWN-COMMAND", where,
                          fmt::format("'{}' with no command; expected one of: {}", head(), join_names(verbs)));
        return nullptr;
    }
    const Token& verb_token = words[0];
    const WordMatch verb = verb_token.tagged ? WordMatch{} : match_word(verbs, verb_token.value);
    if (verb.how == WordMatch::How::None || verb.how == WordMatch::How::Ambiguous) {
        const std::string verb_text = verb_token.tagged ? verb_token.tag + "=" + verb_token.value : verb_token.value;
        const std::string why = verb.how == WordMatch::How::Ambiguous ? "is ambiguous" : "is not a command";
        diagnostics.error("E-NETSH-UNKNOWN-COMMAND", verb_token.at,
                          fmt::format("'{}' {} of '{}'{}; commands: {}", verb_text, why, head(),
                                      did_you_mean(closest(verb_text, verbs)), join_names(verbs)));
        return nullptr;
    }
    const VerbCommands& by_verb = commands_in(context).by_verb[verb.index];
    const auto& candidates = by_verb.commands;
    if (candidates.size() == 1 && candidates.front()->object.empty()) {
        argument_index = 1;
        return candidates.front();
    }
    const auto& objects = by_verb.objects;
    const std::string_view verb_name = verbs[verb.index];
    if (words.size() < 2) {
        diagnostics.error("E-NETSH-UNKNOWN-COMMAND", verb_token.at,
                          fmt::format("'{}' needs an object: {}", verb_name, join_names(objects)));
        return nullptr;
    }
    const Token& object_token = words[1];
    if (object_token.tagged) {
        // `add policyname=X`: a missing space between the object and its first tag.
        std::string hint;
        for (const auto* c : candidates)
            if (istarts_with(object_token.tag, c->object) && object_token.tag.size() > c->object.size())
                hint = fmt::format(" (did you mean '{} {} {}={}'?)", verb_name, c->object,
                                   object_token.tag.substr(c->object.size()), object_token.value);
        diagnostics.error("E-NETSH-UNKNOWN-COMMAND", object_token.at,
                          fmt::format("'{}' needs an object before '{}={}'{}; objects: {}", verb_name, object_token.tag,
                                      object_token.value, hint, join_names(objects)));
        return nullptr;
    }
    const WordMatch object = match_word(objects, object_token.value);
    if (object.how == WordMatch::How::None || object.how == WordMatch::How::Ambiguous) {
        const std::string why = object.how == WordMatch::How::Ambiguous ? "is ambiguous" : "is not an object";
        diagnostics.error("E-NETSH-UNKNOWN-COMMAND", object_token.at,
                          fmt::format("'{}' {} of '{} {}'{}; objects: {}", object_token.value, why, head(), verb_name,
                                      did_you_mean(closest(object_token.value, objects)), join_names(objects)));
        return nullptr;
    }
    argument_index = 2;
    return candidates[object.index];
}

const Token* Arguments::get(std::string_view tag) const {
    for (const auto& e : in_order)
        if (spec->tags[e.tag].name == tag) return e.token;
    return nullptr;
}

std::optional<Arguments> bind_arguments(const CommandSpec& spec, std::span<const Token> args,
                                        const SourceLocation& where, Diagnostics& diagnostics) {
    Arguments bound;
    bound.spec = &spec;
    bound.in_order.reserve(args.size());
    const auto names = tag_names(spec);
    static_assert(std::size(consec_add_rule) <= kMaxTags);
    std::bitset<kMaxTags> filled;  // every table has fewer tags
    auto group_filled = [&](int group) {
        if (group == 0) return false;
        for (std::size_t i = 0; i < spec.tags.size(); ++i)
            if (spec.tags[i].group == group && filled[i]) return true;
        return false;
    };
    bool ok = true;
    bool seen_tagged = false;
    std::vector<std::string> suggested;  // by unknown tags: not reported again as missing
    for (const Token& token : args) {
        if (token.tagged) {
            seen_tagged = true;
            const WordMatch m = match_word(names, token.tag);
            if (m.how == WordMatch::How::None || spec.tags[m.index].keyword) {
                const auto suggestion = closest(token.tag, names);
                if (suggestion) suggested.push_back(*suggestion);
                diagnostics.error("E-NETSH-UNKNOWN-TAG", token.at,
                                  fmt::format("'{}' is not a tag of '{}'{}; its tags are: {}", token.tag, spec.title(),
                                              did_you_mean(suggestion), join_names(names)));
                ok = false;
                continue;
            }
            if (m.how == WordMatch::How::Ambiguous) {
                // netsh matches an abbreviation against its tag table in order and
                // takes the first hit [I: inferred from scripts that rely on it,
                // corpus #14/#19 `filter=` in `add rule`; not checked on Windows].
                std::vector<std::string_view> cands;
                for (const auto i : m.candidates) cands.push_back(names[i]);
                diagnostics.warning("W-NETSH-AMBIGUOUS-TAG", token.at,
                                    fmt::format("'{}' abbreviates {}; taken as '{}', the first in netsh's tag "
                                                "order. Write the full tag name to be sure",
                                                token.tag, join_names(cands), names[m.index]));
            }
            const TagSpec& t = spec.tags[m.index];
            if ((filled[m.index] && !t.repeatable) || (!filled[m.index] && group_filled(t.group))) {
                diagnostics.error("E-NETSH-DUPLICATE-TAG", token.at,
                                  fmt::format("'{}' is given twice (or with an alternative tag) in '{}'; netsh "
                                              "rejects the command",
                                              t.name, spec.title()));
                ok = false;
                continue;
            }
            filled[m.index] = true;
            bound.in_order.push_back({m.index, &token});
            continue;
        }
        // A bare keyword such as `all`.
        bool keyword = false;
        for (std::size_t i = 0; i < spec.tags.size(); ++i)
            if (spec.tags[i].keyword && iequals(spec.tags[i].name, token.value) && !group_filled(spec.tags[i].group)) {
                filled[i] = true;
                bound.in_order.push_back({i, &token});
                keyword = true;
                break;
            }
        if (keyword) continue;
        // Positional: the first tag, in documented order, not given yet.
        std::optional<std::size_t> slot;
        for (std::size_t i = 0; i < spec.tags.size() && !slot; ++i)
            if (!filled[i] && !spec.tags[i].keyword && !group_filled(spec.tags[i].group)) slot = i;
        if (!slot) {
            diagnostics.error("E-NETSH-EXTRA-VALUE", token.at,
                              fmt::format("'{}' has no tag and every tag of '{}' is already given; quote values "
                                          "that contain spaces",
                                          token.value, spec.title()));
            ok = false;
            continue;
        }
        if (seen_tagged)
            diagnostics.warning("W-NETSH-UNTAGGED-VALUE", token.at,
                                fmt::format("'{}' has no tag; netsh gives it to the next tag not yet given, "
                                            "'{}'. Write {}=... if that is what you mean",
                                            token.value, names[*slot], names[*slot]));
        filled[*slot] = true;
        bound.in_order.push_back({*slot, &token});
    }
    for (std::size_t i = 0; i < spec.tags.size(); ++i) {
        const TagSpec& t = spec.tags[i];
        if (!t.required || filled[i] || group_filled(t.group)) continue;
        bool first_of_group = true;
        for (std::size_t j = 0; j < i; ++j)
            if (t.group != 0 && spec.tags[j].group == t.group) first_of_group = false;
        if (!first_of_group) continue;
        std::vector<std::string_view> alternatives;
        for (const auto& u : spec.tags)
            if (t.group != 0 ? u.group == t.group : &u == &t) alternatives.push_back(u.name);
        // `srcaddy=` already said "did you mean 'srcaddr'?"; a second error for
        // the missing srcaddr would report the same mistake twice.
        const bool explained = std::any_of(alternatives.begin(), alternatives.end(), [&](std::string_view a) {
            return std::find(suggested.begin(), suggested.end(), a) != suggested.end();
        });
        ok = false;
        if (explained) continue;
        std::string wanted;
        for (const auto a : alternatives) wanted += fmt::format("{}{}", wanted.empty() ? "" : " or ", a);
        diagnostics.error("E-NETSH-MISSING-TAG", where,
                          fmt::format("'{}' needs {}; netsh rejects the command without it", spec.title(), wanted));
    }
    if (!ok) return std::nullopt;
    return bound;
}

void report_unknown_tags(const CommandSpec& spec, std::span<const Token> args, Diagnostics& diagnostics) {
    const auto names = tag_names(spec);
    for (const Token& token : args) {
        if (!token.tagged || match_word(names, token.tag).how != WordMatch::How::None) continue;
        diagnostics.error("E-NETSH-UNKNOWN-TAG", token.at,
                          fmt::format("'{}' is not a tag of '{}'{}", token.tag, spec.title(),
                                      did_you_mean(closest(token.tag, names))));
    }
}

}  // namespace winipsec::netsh
