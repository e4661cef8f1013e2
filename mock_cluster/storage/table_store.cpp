#include "mock_cluster/storage/table_store.hpp"

#include <algorithm>
#include <type_traits>

#include "mock_cluster/storage/mutation.hpp"
#include "sim/core/rng.hpp"

namespace routelab::cluster {

namespace {

constexpr std::size_t not_found = static_cast<std::size_t>(-1);

// FNV-1a, then a multiplicative (Fibonacci) step so that every key byte reaches the
// high half, which picks the slot; the low half is the slot's hash check.
std::uint64_t hash_of(std::string_view key) { return sim::fnv1a64(key) * 0x9E3779B97F4A7C15ULL; }
std::size_t home_slot(std::uint64_t hash, std::size_t slots) { return static_cast<std::size_t>(hash >> 32) & (slots - 1); }
std::uint32_t check_bits(std::uint64_t hash) { return static_cast<std::uint32_t>(hash); }

}  // namespace

std::size_t TableStore::find(std::string_view key, std::uint64_t hash, std::size_t& slot) const {
    if (slots_.empty()) return not_found;
    // At most half full: an empty slot always ends the probe.
    for (slot = home_slot(hash, slots_.size());; slot = (slot + 1) & (slots_.size() - 1)) {
        const Slot& s = slots_[slot];
        if (s.entry == 0) return not_found;
        if (s.hash == check_bits(hash) && entries_[s.entry - 1].key == key) return s.entry - 1;
    }
}

Partition& TableStore::find_or_add(std::string_view key) {
    const std::uint64_t hash = hash_of(key);
    std::size_t slot = 0;
    if (const std::size_t i = find(key, hash, slot); i != not_found) return entries_[i].partition;
    if (2 * (entries_.size() + 1) > slots_.size()) {
        grow();
        find(key, hash, slot);
    }
    // Entry indexes fit 32 bits: a replica never holds 4 billion partitions.
    slots_[slot] = {check_bits(hash), static_cast<std::uint32_t>(entries_.size() + 1)};
    // Entries move when the vector grows: cheaply, not by copying every row.
    static_assert(std::is_nothrow_move_constructible_v<Entry>);
    entries_.push_back({std::string(key), Partition{}});
    return entries_.back().partition;
}

void TableStore::grow() {
    slots_.assign(std::max<std::size_t>(16, 2 * slots_.size()), Slot{});
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const std::uint64_t hash = hash_of(entries_[i].key);
        std::size_t slot = home_slot(hash, slots_.size());
        while (slots_[slot].entry != 0) slot = (slot + 1) & (slots_.size() - 1);
        slots_[slot] = {check_bits(hash), static_cast<std::uint32_t>(i + 1)};
    }
}

void TableStore::apply(std::string_view partition_key, std::string_view mutation, std::int64_t timestamp_us) {
    const MutationView m = read_mutation(mutation);
    Partition& p = find_or_add(partition_key);
    switch (m.kind) {
        case MutationKind::delete_partition: p.deleted_us = std::max(p.deleted_us, timestamp_us); return;
        case MutationKind::delete_prefix: add_range_tombstone(p.range_tombstones, m.key, timestamp_us); return;
        case MutationKind::delete_row:
        case MutationKind::upsert: break;
    }
    RowVersion& row = p.row(m.key);
    if (m.kind == MutationKind::delete_row) {
        row.deleted_us = std::max(row.deleted_us, timestamp_us);
        return;
    }
    if (row.clustering.empty()) row.clustering.assign(m.clustering);
    if (m.row_marker) row.marker_us = std::max(row.marker_us, timestamp_us);
    m.for_each_cell([&](std::uint16_t column, bool null, std::string_view value) {
        if (row.cells.size() <= column) row.cells.resize(column + 1u);
        write_cell(row.cells[column], null, value, timestamp_us);
    });
}

bool TableStore::read(std::string_view partition_key, std::string_view slice_bytes, RowSet& into) const {
    const Partition* p = partition(partition_key);
    if (p == nullptr) return false;
    into.merge_deletions(p->deleted_us, p->range_tombstones);
    const Slice slice = read_slice(slice_bytes);
    p->for_each_row_from(slice.lower, [&](std::string_view key, const RowVersion& row) {
        if (!slice.below_upper(key)) return false;                 // keys only grow from here
        if (slice.above_lower(key)) into.merge_row(key, row);     // else an exclusive bound's own rows
        return true;
    });
    return true;
}

const Partition* TableStore::partition(std::string_view partition_key) const {
    std::size_t slot = 0;
    const std::size_t i = find(partition_key, hash_of(partition_key), slot);
    return i == not_found ? nullptr : &entries_[i].partition;
}

}  // namespace routelab::cluster
