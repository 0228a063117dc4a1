// add/set/delete filterlist, add/delete filter (spec §4.2).
#include <algorithm>
#include <string>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

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
// An open-addressing table of (key hash, filter position): a blocklist of
// 100 000 filters made a node-based map's lookups (two cache misses each)
// and allocations a visible share of the import.
class DuplicateIndex {
public:
    // Position of the filter with this key, if the list has one.
    std::optional<std::size_t> find(const FilterList& list, const std::string& key) const {
        if (slots_.empty()) return std::nullopt;
        const std::uint64_t hash = hash_of(key);
        for (std::size_t i = hash & mask(); slots_[i].position_plus_one != 0; i = (i + 1) & mask())
            if (slots_[i].hash == hash && selector_key(list.filters[slots_[i].position_plus_one - 1]) == key)
                return slots_[i].position_plus_one - 1;
        return std::nullopt;
    }
    void insert(const std::string& key, std::size_t position) {
        if ((used_ + 1) * 2 > slots_.size()) grow();
        place({hash_of(key), position + 1});
        ++used_;
    }
    bool describes(const FilterList& l) const {
        return list_ == &l && data_ == l.filters.data() && size_ == l.filters.size();
    }
    void rebuild(const FilterList& l) {
        slots_.clear();
        used_ = 0;
        for (std::size_t i = 0; i < l.filters.size(); ++i) {
            const auto key = selector_key(l.filters[i]);
            if (!find(l, key)) insert(key, i);  // a repeated key keeps its first position
        }
        remember(l);
    }
    void remember(const FilterList& l) {
        list_ = &l;
        data_ = l.filters.data();
        size_ = l.filters.size();
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::size_t position_plus_one = 0;  // 0: empty
    };
    std::vector<Slot> slots_;  // size 0 or a power of two, at most half full
    std::size_t used_ = 0;
    const FilterList* list_ = nullptr;
    const Filter* data_ = nullptr;
    std::size_t size_ = 0;

    static std::uint64_t hash_of(const std::string& key) { return std::hash<std::string>{}(key); }
    std::size_t mask() const { return slots_.size() - 1; }
    void place(Slot slot) {
        std::size_t i = slot.hash & mask();
        while (slots_[i].position_plus_one != 0) i = (i + 1) & mask();
        slots_[i] = slot;
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(64, slots_.size() * 2));
        old.swap(slots_);
        for (const Slot& s : old)
            if (s.position_plus_one != 0) place(s);
    }
};

thread_local DuplicateIndex filter_index;

DuplicateIndex& duplicate_index_for(const FilterList& list) {
    DuplicateIndex& index = filter_index;
    if (!index.describes(list)) index.rebuild(list);
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
    if (const auto earlier = index.find(*list, key)) {
        v.diagnostics().warning("W-NETSH-DUPLICATE-FILTER", command.where,
                                fmt::format("this filter selects the same packets as the one from {} in list "
                                            "'{}'; it adds nothing and is skipped",
                                            list->filters[*earlier].where.to_string(), list->name));
        return;
    }
    index.insert(key, list->filters.size());
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
