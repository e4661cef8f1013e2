#pragma once
// What a read gathered from the replicas that answered: their rows in the read's slice,
// merged cell by cell (last write wins), with the deletions that may hide them. Reused
// from read to read, so a coordinator slot allocates only while it grows.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_cluster/storage/partition.hpp"

namespace routelab::cluster {

class RowSet {
public:
    void clear();
    // A replica had the partition: fold in its partition-level deletions.
    void merge_deletions(std::int64_t partition_deleted_us, const std::vector<RangeTombstone>& range_tombstones);
    void merge_row(std::string_view key, const RowVersion& row);

    // Calls f(key, row, deletion_us) for every visible row in clustering order (or the
    // reverse); stops early when f returns false.
    template <typename F>
    void for_each_visible(bool reverse, F f) const {
        for (std::size_t n = 0; n < size_; ++n) {
            const Entry& e = entries_[reverse ? size_ - 1 - n : n];
            const std::int64_t deletion = deletion_covering(deleted_us_, range_tombstones_, e.key, e.row);
            if (!row_visible(e.row, deletion)) continue;
            if (!f(std::string_view(e.key), e.row, deletion)) return;
        }
    }

private:
    struct Entry {
        std::string key;
        RowVersion row;
    };
    std::int64_t deleted_us_ = never;
    std::vector<RangeTombstone> range_tombstones_;
    std::vector<Entry> entries_;   // sorted by key in [0, size_); the rest are kept for reuse
    std::size_t size_ = 0;
};

}  // namespace routelab::cluster
