// add/set/delete filterlist, add/delete filter (spec §4.2).
#include <algorithm>
#include <string>
#include <unordered_map>

#include "plugins/netsh/netsh_command.hpp"
#include "plugins/netsh/netsh_filter_spec.hpp"
#include "plugins/netsh/netsh_spelling.hpp"

namespace winipsec::netsh {
namespace {

void nothing_to_delete(Diagnostics& d, const Token& at, const std::string& what) {
    d.note("N-NETSH-NOTHING-TO-DELETE", at.value_at,
           fmt::format("{}, so there is nothing to delete (Windows reports an error and the script goes on)", what));
}

void in_use(Diagnostics& d, const SourceLocation& at, std::string_view name) {
    d.error(
        "E-NETSH-IN-USE", at,
        fmt::format("filter list '{}' is used by a rule; netsh does not delete it [I]. Delete the rule first", name));
}

void add_filterlist(const Command& command, ValueReader& v, PolicyStore& store) {
    const Token* name = v.token("name");
    if (store.find_filter_list(name->value)) {
        v.diagnostics().error(
            "E-NETSH-DUPLICATE-NAME", name->value_at,
            fmt::format("a filter list named '{}' already exists; netsh rejects the command", name->value));
        return;
    }
    FilterList list;
    list.name = name->value;
    list.description = v.text("description").value_or("");
    list.where = command.where;
    store.filter_lists.push_back(std::move(list));
}

FilterList* find_list(ValueReader& v, PolicyStore& store) {
    if (const Token* guid = v.token("guid")) {
        for (auto& l : store.filter_lists)
            if (!l.guid.empty() && iequals(l.guid, guid->value)) return &l;
        v.diagnostics().error("E-NETSH-NO-SUCH-FILTERLIST", guid->value_at,
                              fmt::format("no filter list has guid {}", guid->value));
        return nullptr;
    }
    const Token* name = v.token("name");
    if (FilterList* l = store.find_filter_list(name->value)) return l;
    v.diagnostics().error("E-NETSH-NO-SUCH-FILTERLIST", name->value_at,
                          fmt::format("no filter list named '{}' exists at this point{}", name->value,
                                      did_you_mean(closest(name->value, filter_list_names(store)))));
    return nullptr;
}

void set_filterlist(ValueReader& v, PolicyStore& store) {
    FilterList* list = find_list(v, store);
    if (!list) return;
    if (const Token* newname = v.token("newname")) {
        const FilterList* other = store.find_filter_list(newname->value);
        if (other && other != list) {
            v.diagnostics().error("E-NETSH-DUPLICATE-NAME", newname->value_at,
                                  fmt::format("a filter list named '{}' already exists", newname->value));
            return;
        }
        // Windows links rules to lists by GUID, so a rename keeps the links;
        // the model links by name and follows the rename.
        for (auto& p : store.policies)
            for (auto& r : p.rules)
                if (names_equal(r.filter_list, list->name)) r.filter_list = newname->value;
        list->name = newname->value;
    }
    if (auto description = v.text("description")) list->description = *description;
}

void delete_filterlist(const Command& command, ValueReader& v, PolicyStore& store) {
    Diagnostics& d = v.diagnostics();
    if (v.token("all")) {
        for (const auto& l : store.filter_lists)
            if (filter_list_in_use(store, l.name)) in_use(d, command.where, l.name);
        std::erase_if(store.filter_lists, [&](const FilterList& l) { return !filter_list_in_use(store, l.name); });
        return;
    }
    const Token* name = v.token("name");
    const auto it = std::find_if(store.filter_lists.begin(), store.filter_lists.end(),
                                 [&](const FilterList& l) { return names_equal(l.name, name->value); });
    if (it == store.filter_lists.end())
        return nothing_to_delete(d, *name,
                                 fmt::format("no filter list named '{}' exists at this point{}", name->value,
                                             did_you_mean(closest(name->value, filter_list_names(store)))));
    // A list a rule refers to is not deleted [I: polstore refuses to delete an
    // object that still has owners; scripts delete rules first, corpus #05, #93].
    if (filter_list_in_use(store, it->name)) return in_use(d, name->value_at, it->name);
    store.filter_lists.erase(it);
}

namespace {

// The filters of the list add_filter touched last, by selector_key(). It is
// only trusted while the list is the same object with the same filters
// storage and size as when it was last updated: every add goes through
// add_filter, and anything else (delete filter, a new list, a moved list)
// changes one of the three, which makes the index rebuild.
struct DuplicateIndex {
    const FilterList* list = nullptr;
    const Filter* data = nullptr;
    std::size_t size = 0;
    std::unordered_map<std::string, std::size_t> positions;

    void remember(const FilterList& l) {
        list = &l;
        data = l.filters.data();
        size = l.filters.size();
    }
};

thread_local DuplicateIndex filter_index;

DuplicateIndex& duplicate_index_for(const FilterList& list) {
    DuplicateIndex& index = filter_index;
    if (index.list != &list || index.data != list.filters.data() || index.size != list.filters.size()) {
        index.positions.clear();
        for (std::size_t i = 0; i < list.filters.size(); ++i) index.positions.emplace(selector_key(list.filters[i]), i);
        index.remember(list);
    }
    return index;
}

}  // namespace

void add_filter(const Command& command, ValueReader& v, PolicyStore& store) {
    const FilterSpec spec = read_filter_spec(v, FilterUse::Add);
    const std::string description = v.text("description").value_or("");
    if (!v.ok()) return;
    auto filter = make_filter(spec, v, command.where, description);
    if (!filter) return;
    const Token* list_name = v.token("filterlist");
    FilterList* list = store.find_filter_list(list_name->value);
    if (!list) {
        // `add filter` creates a list that does not exist yet (spec §4.2, [V] help remark 1).
        FilterList created;
        created.name = list_name->value;
        created.where = command.where;
        store.filter_lists.push_back(std::move(created));
        list = &store.filter_lists.back();
    }
    // An identical filter (corpus #19 repeats 7 lines) selects the same packets
    // for the same rules, so a second copy changes nothing on Windows whether
    // netsh stores it or not [I]; keeping one keeps the translation free of
    // duplicate kernel rules.
    // Looked up in an index, not by scanning the list: blocklists of 100 000
    // filters made the scan quadratic (minutes for one import).
    DuplicateIndex& index = duplicate_index_for(*list);
    const std::string key = selector_key(*filter);
    if (const auto it = index.positions.find(key); it != index.positions.end()) {
        v.diagnostics().warning("W-NETSH-DUPLICATE-FILTER", command.where,
                                fmt::format("this filter selects the same packets as the one from {} in list "
                                            "'{}'; it adds nothing and is skipped",
                                            list->filters[it->second].where.to_string(), list->name));
        return;
    }
    index.positions.emplace(key, list->filters.size());
    list->filters.push_back(std::move(*filter));
    index.remember(*list);
}

void delete_filter(ValueReader& v, PolicyStore& store) {
    const FilterSpec given = read_filter_spec(v, FilterUse::Match);
    if (!v.ok()) return;
    const Token* list_name = v.token("filterlist");
    FilterList* list = store.find_filter_list(list_name->value);
    if (!list)
        return nothing_to_delete(v.diagnostics(), *list_name,
                                 fmt::format("no filter list named '{}' exists at this point{}", list_name->value,
                                             did_you_mean(closest(list_name->value, filter_list_names(store)))));
    // Every filter matching all given fields goes (spec §4.2 [V book p.316]).
    const auto removed = std::erase_if(list->filters, [&](const Filter& f) { return filter_matches(f, given); });
    if (removed == 0)
        nothing_to_delete(v.diagnostics(), *list_name,
                          fmt::format("no filter in list '{}' matches these fields", list->name));
}

}  // namespace

void forget_filter_index() {
    filter_index = DuplicateIndex{};
}

void run_filter_command(CommandId id, const Command& command, ValueReader& v, PolicyStore& store) {
    switch (id) {
        case CommandId::AddFilterList: return add_filterlist(command, v, store);
        case CommandId::SetFilterList: return set_filterlist(v, store);
        case CommandId::DeleteFilterList: return delete_filterlist(command, v, store);
        case CommandId::AddFilter: return add_filter(command, v, store);
        case CommandId::DeleteFilter: return delete_filter(v, store);
        default: return;
    }
}

}  // namespace winipsec::netsh
