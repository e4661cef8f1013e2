#include "mock_cluster/storage/table_store.hpp"

#include <algorithm>

#include "mock_cluster/storage/mutation.hpp"
#include "sim/core/rng.hpp"

namespace routelab::cluster {

std::size_t TableStore::Hash::operator()(std::string_view s) const { return static_cast<std::size_t>(sim::fnv1a64(s)); }

void TableStore::apply(std::string_view partition_key, std::string_view mutation, std::int64_t timestamp_us) {
    const MutationView m = read_mutation(mutation);
    auto it = partitions_.find(partition_key);
    if (it == partitions_.end()) it = partitions_.emplace(std::string(partition_key), Partition{}).first;
    Partition& p = it->second;
    switch (m.kind) {
        case MutationKind::delete_partition: p.deleted_us = std::max(p.deleted_us, timestamp_us); return;
        case MutationKind::delete_prefix: add_range_tombstone(p.range_tombstones, m.key, timestamp_us); return;
        case MutationKind::delete_row:
        case MutationKind::upsert: break;
    }
    auto row_it = p.rows.find(m.key);
    if (row_it == p.rows.end()) row_it = p.rows.emplace(std::string(m.key), RowVersion{}).first;
    RowVersion& row = row_it->second;
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
    auto it = partitions_.find(partition_key);
    if (it == partitions_.end()) return false;
    const Partition& p = it->second;
    into.merge_deletions(p.deleted_us, p.range_tombstones);
    const Slice slice = read_slice(slice_bytes);
    auto row = slice.lower ? p.rows.lower_bound(*slice.lower) : p.rows.begin();
    for (; row != p.rows.end(); ++row) {
        if (!slice.below_upper(row->first)) break;   // keys only grow from here
        if (!slice.above_lower(row->first)) continue; // an exclusive bound's own rows
        into.merge_row(row->first, row->second);
    }
    return true;
}

const Partition* TableStore::partition(std::string_view partition_key) const {
    auto it = partitions_.find(partition_key);
    return it == partitions_.end() ? nullptr : &it->second;
}

}  // namespace routelab::cluster
