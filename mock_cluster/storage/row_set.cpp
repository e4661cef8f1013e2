#include "mock_cluster/storage/row_set.hpp"

#include <algorithm>

namespace routelab::cluster {

void RowSet::clear() {
    deleted_us_ = never;
    range_tombstones_.clear();
    size_ = 0;
}

void RowSet::merge_deletions(std::int64_t partition_deleted_us, const std::vector<RangeTombstone>& range_tombstones) {
    deleted_us_ = std::max(deleted_us_, partition_deleted_us);
    for (const auto& t : range_tombstones) add_range_tombstone(range_tombstones_, t.prefix, t.deleted_us);
}

void RowSet::merge_row(std::string_view key, const RowVersion& row) {
    const auto end = entries_.begin() + static_cast<std::ptrdiff_t>(size_);
    const auto at = std::lower_bound(entries_.begin(), end, key, [](const Entry& e, std::string_view k) { return e.key < k; });
    if (at != end && at->key == key) return cluster::merge_row(at->row, row);
    const auto position = at - entries_.begin();
    if (size_ == entries_.size()) entries_.emplace_back();
    Entry& slot = entries_[size_];
    slot.key.assign(key);
    slot.row.clustering.assign(row.clustering);
    slot.row.marker_us = row.marker_us;
    slot.row.deleted_us = row.deleted_us;
    slot.row.cells.resize(row.cells.size());
    for (std::size_t i = 0; i < row.cells.size(); ++i) {
        slot.row.cells[i].value.assign(row.cells[i].value);
        slot.row.cells[i].timestamp_us = row.cells[i].timestamp_us;
        slot.row.cells[i].null = row.cells[i].null;
    }
    ++size_;
    std::rotate(entries_.begin() + position, entries_.begin() + static_cast<std::ptrdiff_t>(size_ - 1),
                entries_.begin() + static_cast<std::ptrdiff_t>(size_));
}

}  // namespace routelab::cluster
