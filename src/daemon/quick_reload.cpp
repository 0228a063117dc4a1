#include "daemon/quick_reload.hpp"

#include <chrono>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "daemon/daemon_clock.hpp"
#include "import/filter_line_edits.hpp"
#include "kernel/nft_batch.hpp"
#include "kernel/nft_set_delta.hpp"
#include "plan/filter_edit.hpp"

namespace winipsec::daemon {
namespace {

bool same_selection(const Filter& a, const Filter& b) {
    return a.source == b.source && a.destination == b.destination && a.protocol == b.protocol &&
           a.source_port == b.source_port && a.destination_port == b.destination_port && a.mirrored == b.mirrored;
}

bool same_values(const Filter& a, const Filter& b) {
    return same_selection(a, b) && a.description == b.description && a.where.line == b.where.line &&
           a.where.column == b.where.column;
}

// The store's filter that line `line` of `path` added to `list`: the one
// the edit's old line still adds there, and no other filter of that line.
std::expected<Filter*, std::string> filter_of_line(PolicyStore& store, const std::string& path,
                                                   const FilterLineEdit& edit) {
    FilterList* list = store.find_filter_list(edit.list);
    if (!list) return std::unexpected(fmt::format("{}:{}: its filter list is not in the store", path, edit.line));
    Filter* found = nullptr;
    for (auto& f : list->filters) {
        if (f.where.line != edit.line || f.where.path() != path) continue;
        if (found) return std::unexpected(fmt::format("{}:{} added more than one filter", path, edit.line));
        found = &f;
    }
    if (!found || !same_values(*found, edit.before))
        return std::unexpected(fmt::format("{}:{}: the store does not hold what the line added", path, edit.line));
    // An importer may skip a filter equal to one already in the list; then
    // the full read would not hold the new one either.
    for (const auto& f : list->filters)
        if (&f != found && same_selection(f, edit.after))
            return std::unexpected(fmt::format("{}:{} now repeats the filter at {}", path, edit.line, f.where.to_string()));
    return found;
}

std::size_t set_index(const AppliedPolicy& applied, const std::string& name) {
    for (std::size_t i = 0; i < applied.kernel.nft.sets.size(); ++i)
        if (applied.kernel.nft.sets[i].name == name) return i;
    return applied.kernel.nft.sets.size();
}

// What the kernel must change, and how the applied state follows: set
// elements replaced at their place, or whole sets' element lists.
struct SetChanges {
    std::vector<kernel::NftSetDelta> deltas;
    std::vector<std::tuple<std::size_t, std::size_t, kernel::NftSetElement>> elements;  // set, index, new value
    std::vector<std::pair<std::size_t, kernel::NftSet>> sets;                          // set, new value
};

// A class without port fields puts each record's one element at the
// record's place in its set "cN" (kernel/nft_ruleset.hpp): the edit is the
// edited records' elements, whatever the class's size. Checked against the
// applied set; nullopt when it does not look like that.
std::optional<std::vector<std::tuple<std::size_t, std::size_t, kernel::NftSetElement, kernel::NftSetElement>>>
record_elements(const AppliedPolicy& applied, const plan::ShapeClass& c, const plan::FilterEdit& edit) {
    std::vector<std::tuple<std::size_t, std::size_t, kernel::NftSetElement, kernel::NftSetElement>> out;
    for (const auto& change : edit.changes()) {
        if (change.before.shape_class != c.id) continue;
        auto before = kernel::build_nft_record_sets(c, {&change.before, 1});
        auto after = kernel::build_nft_record_sets(c, {&change.after, 1});
        if (before.size() != after.size() || before.size() > 1) return std::nullopt;
        if (before.empty()) continue;  // the class's rule alone decides: no element
        if (before[0].elements.size() != 1 || after[0].elements.size() != 1 || before[0].name != after[0].name)
            return std::nullopt;
        const std::size_t set = set_index(applied, before[0].name);
        if (set == applied.kernel.nft.sets.size()) return std::nullopt;
        const auto& live = applied.kernel.nft.sets[set];
        const auto index = static_cast<std::size_t>(change.before.rank - c.first_rank);
        if (live.elements.size() != c.size || index >= live.elements.size() ||
            !(live.elements[index] == before[0].elements[0]))
            return std::nullopt;
        out.emplace_back(set, index, std::move(before[0].elements[0]), std::move(after[0].elements[0]));
    }
    return out;
}

std::expected<SetChanges, std::string> set_changes(const AppliedPolicy& applied, const plan::FilterEdit& edit) {
    SetChanges out;
    for (const int id : edit.classes()) {
        const plan::ShapeClass& c = applied.plan.classes[static_cast<std::size_t>(id)];
        if (!c.source_port && !c.destination_port) {
            if (auto records = record_elements(applied, c, edit)) {
                for (auto& [set, index, before, after] : *records) {
                    if (before == after) continue;
                    const auto& live = applied.kernel.nft.sets[set];
                    kernel::NftSetDelta d{live.name, live.key, {std::move(before)}, {after}};
                    out.deltas.push_back(std::move(d));
                    out.elements.emplace_back(set, index, std::move(after));
                }
                continue;
            }
        }
        // Port classes may fold several records into one element (the
        // "other protocols" lookup): the class's sets are rebuilt whole.
        for (auto& set : kernel::build_nft_class_sets(applied.plan, c)) {
            const std::size_t at = set_index(applied, set.name);
            if (at == applied.kernel.nft.sets.size() || applied.kernel.nft.sets[at].key != set.key)
                return std::unexpected(fmt::format("set {} changes shape", set.name));
            auto delta = kernel::diff_nft_set(applied.kernel.nft.sets[at], set);
            if (!delta.empty()) out.deltas.push_back(std::move(delta));
            out.sets.emplace_back(at, std::move(set));
        }
        // A class whose lookups change (a set appears or goes) changes the rules.
        std::size_t before = 0, after = 0;
        const std::string name = fmt::format("c{}", id);
        for (const auto& s : applied.kernel.nft.sets)
            if (s.name == name || s.name == name + "_other") ++before;
        for (const auto& [at, s] : out.sets)
            if (s.name == name || s.name == name + "_other") ++after;
        if (before != after) return std::unexpected(fmt::format("class c{} gains or loses a lookup", id));
    }
    return out;
}

}  // namespace

std::expected<QuickReload, std::string> quick_reload(AppliedPolicy& applied, const PolicySources& sources,
                                                     const plan::PlanOptions& options, kernel::NftConnection* nft) {
    const auto t0 = Clock::now();
    if (!applied.store) return std::unexpected("nothing applied from the sources yet");
    if (applied.has_dynamic_policy) return std::unexpected("dynamic policy is held (last-known-good keeps it out)");
    if (options.me != applied.plan.me) return std::unexpected("`me` stands for other addresses");
    const auto in_use = sources.static_sources_in_use();
    if (in_use.size() != applied.texts.size()) return std::unexpected("other sources are in use");

    // 1. Read: which lines changed, and what they add now.
    QuickReload out;
    std::vector<plan::FilterReplacement> replacements;
    std::vector<std::pair<std::size_t, DecodedText>> new_texts;
    for (std::size_t i = 0; i < in_use.size(); ++i) {
        const PolicySource& source = *in_use[i];
        SourceText& held = applied.texts[i];
        if (source.path != held.path) return std::unexpected("other sources are in use");
        const auto decoding = Clock::now();
        auto text = read_and_decode(source.path, source.encoding);
        out.decode_ms += ms_since(decoding);
        if (!text) return std::unexpected(text.error().message);
        if (text->utf8 == held.text.utf8) continue;
        auto edits = filter_line_edits(*held.importer, held.text, *text, held.only_adds);
        if (!edits) return std::unexpected(fmt::format("{}: {}", source.path, edits.error()));
        for (auto& e : *edits) {
            auto filter = filter_of_line(*applied.store, source.path, e);
            if (!filter) return std::unexpected(filter.error());
            for (const auto& d : e.diagnostics.all()) out.diagnostics.push_back(d);
            replacements.push_back({*filter, std::move(e.after)});
        }
        new_texts.emplace_back(i, std::move(*text));
    }
    out.read_ms = ms_since(t0);
    if (new_texts.empty()) return out;
    out.changed = true;
    out.filters = replacements.size();

    // 2. Plan: the edited filters' records, in place.
    const auto t1 = Clock::now();
    auto edit = plan::plan_filter_edit(applied.plan, *applied.store, options, replacements);
    if (!edit) return std::unexpected(edit.error());
    for (const auto& d : edit->diagnostics().all()) out.diagnostics.push_back(d);
    out.records = edit->records();
    edit->apply(applied.plan);
    auto changes = set_changes(applied, *edit);
    if (!changes) {
        edit->revert(applied.plan);
        return std::unexpected(changes.error());
    }
    const auto& deltas = changes->deltas;
    out.plan_ms = ms_since(t1);

    // 3. Apply: only the elements that differ, in one batch.
    const auto t2 = Clock::now();
    if (!deltas.empty()) {
        if (auto sent = kernel::apply_nft_set_deltas(deltas, nft); !sent) {
            edit->revert(applied.plan);
            return std::unexpected(fmt::format("the kernel refused the set changes: {}", sent.error().message));
        }
    }
    for (const auto& d : deltas) {
        out.nft_elements_added += d.added.size();
        out.nft_elements_removed += d.removed.size();
    }
    for (auto& [set, index, element] : changes->elements) applied.kernel.nft.sets[set].elements[index] = std::move(element);
    for (auto& [at, set] : changes->sets) applied.kernel.nft.sets[at] = std::move(set);
    for (auto& [i, text] : new_texts) applied.texts[i].text = std::move(text);
    out.apply_ms = ms_since(t2);
    return out;
}

}  // namespace winipsec::daemon
