#include "mock_cluster/storage/partition.hpp"

#include <algorithm>

namespace routelab::cluster {

RowVersion& Partition::row(std::string_view key) {
    if (key.empty()) return unclustered_ ? *unclustered_ : unclustered_.emplace();
    auto it = rows_.lower_bound(key);
    if (it == rows_.end() || it->first != key) it = rows_.emplace_hint(it, std::string(key), RowVersion{});
    return it->second;
}

bool write_cell(CellVersion& cell, bool null, std::string_view value, std::int64_t timestamp_us) {
    const bool tie = timestamp_us == cell.timestamp_us;
    const bool newer = timestamp_us > cell.timestamp_us || (tie && null && !cell.null) ||
                       (tie && null == cell.null && value > std::string_view(cell.value));
    if (!newer) return false;
    cell.value.assign(null ? std::string_view() : value);
    cell.timestamp_us = timestamp_us;
    cell.null = null;
    return true;
}

void merge_row(RowVersion& into, const RowVersion& from) {
    if (into.clustering.empty()) into.clustering = from.clustering;
    into.marker_us = std::max(into.marker_us, from.marker_us);
    into.deleted_us = std::max(into.deleted_us, from.deleted_us);
    if (into.cells.size() < from.cells.size()) into.cells.resize(from.cells.size());
    for (std::size_t i = 0; i < from.cells.size(); ++i) {
        const CellVersion& c = from.cells[i];
        if (c.timestamp_us != never) write_cell(into.cells[i], c.null, c.value, c.timestamp_us);
    }
}

void add_range_tombstone(std::vector<RangeTombstone>& tombstones, std::string_view prefix, std::int64_t deleted_us) {
    for (auto& t : tombstones) {
        if (t.prefix == prefix) {
            t.deleted_us = std::max(t.deleted_us, deleted_us);
            return;
        }
    }
    tombstones.push_back({std::string(prefix), deleted_us});
}

std::int64_t deletion_covering(std::int64_t partition_deleted_us, const std::vector<RangeTombstone>& range_tombstones,
                               std::string_view key, const RowVersion& row) {
    std::int64_t deletion = std::max(partition_deleted_us, row.deleted_us);
    for (const auto& t : range_tombstones)
        if (key.starts_with(t.prefix)) deletion = std::max(deletion, t.deleted_us);
    return deletion;
}

bool row_visible(const RowVersion& row, std::int64_t deletion_us) {
    if (row.marker_us > deletion_us) return true;
    return std::any_of(row.cells.begin(), row.cells.end(), [&](const CellVersion& c) { return cell_visible(c, deletion_us); });
}

}  // namespace routelab::cluster
