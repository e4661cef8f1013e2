#pragma once
// What one replica stores for one partition: its rows by clustering key, each row's
// cells with their write timestamps, and the deletions (of the partition, of clustering
// prefixes, of rows) that hide older data.
//
// Last write wins, cell by cell. On equal timestamps a deletion beats a value (as in
// Cassandra) and otherwise the larger value wins, so replicas converge whatever order
// the writes arrive in.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routelab::cluster {

inline constexpr std::int64_t never = INT64_MIN;

struct CellVersion {
    std::string value;
    std::int64_t timestamp_us = never;
    bool null = true;   // never written, or written null (a cell tombstone)
};

struct RowVersion {
    std::string clustering;             // the clustering values as consecutive [bytes]
    std::int64_t marker_us = never;     // INSERT's row marker: the row exists even with no cells
    std::int64_t deleted_us = never;    // row tombstone
    std::vector<CellVersion> cells;     // one per regular column
};

// A deletion of every row whose clustering key starts with `prefix` (comparable form).
struct RangeTombstone {
    std::string prefix;
    std::int64_t deleted_us = never;
};

class Partition {
public:
    std::int64_t deleted_us = never;
    std::vector<RangeTombstone> range_tombstones;

    // The row at comparable clustering key `key`, created empty when missing.
    RowVersion& row(std::string_view key);

    // Calls f(key, row) for every row whose key is not below `from` (every row when
    // absent), in key order, until f returns false.
    template <typename F>   // bool F(std::string_view key, const RowVersion& row)
    void for_each_row_from(std::optional<std::string_view> from, F f) const {
        if (unclustered_ && (!from || from->empty()) && !f(std::string_view(), *unclustered_)) return;
        for (auto it = from ? rows_.lower_bound(*from) : rows_.begin(); it != rows_.end(); ++it)
            if (!f(std::string_view(it->first), it->second)) return;
    }

private:
    // The row with the empty key: the only row of a clustering-less table, kept inline
    // rather than in a tree node (a node allocation per partition and a pointer chase per
    // read less on the simplest, most common tables). Clustered rows never have an empty
    // key (every component adds bytes), and the empty key sorts before every other, so
    // it comes first in key order.
    std::optional<RowVersion> unclustered_;
    std::map<std::string, RowVersion, std::less<>> rows_;   // the others, by key
};

// Last-write-wins on one cell; true when the write became the visible version.
bool write_cell(CellVersion& cell, bool null, std::string_view value, std::int64_t timestamp_us);
// Folds `from` into `into` (markers, tombstones and cells, each by last write wins).
void merge_row(RowVersion& into, const RowVersion& from);
void add_range_tombstone(std::vector<RangeTombstone>& tombstones, std::string_view prefix, std::int64_t deleted_us);

// The newest deletion covering a row: of its partition, of a prefix of its key, of itself.
std::int64_t deletion_covering(std::int64_t partition_deleted_us, const std::vector<RangeTombstone>& range_tombstones,
                               std::string_view key, const RowVersion& row);
// A row is visible when its marker or one of its cells is newer than what deletes it.
bool row_visible(const RowVersion& row, std::int64_t deletion_us);
inline bool cell_visible(const CellVersion& cell, std::int64_t deletion_us) {
    return !cell.null && cell.timestamp_us > deletion_us;
}

}  // namespace routelab::cluster
