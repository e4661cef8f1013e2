#pragma once
// One replica's data for one table: its partitions by partition-key bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_cluster/storage/partition.hpp"
#include "mock_cluster/storage/row_set.hpp"

namespace routelab::cluster {

class TableStore {
public:
    // Applies a mutation (mutation.hpp) written at `timestamp_us`.
    void apply(std::string_view partition_key, std::string_view mutation, std::int64_t timestamp_us);
    // Adds what this replica holds for the slice (mutation.hpp) to `into`; false when
    // it has nothing for the partition.
    bool read(std::string_view partition_key, std::string_view slice, RowSet& into) const;

    // Valid until the next `apply` (which may add a partition and move the others).
    const Partition* partition(std::string_view partition_key) const;
    std::size_t partitions() const { return entries_.size(); }

private:
    struct Entry {
        std::string key;
        Partition partition;
    };
    // One slot of the index: 0 when empty, else the entry's index + 1, beside 32 bits of
    // its key's hash. A probe compares keys only when those bits match, so a lookup of a
    // partition never written usually stays within this compact array.
    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t entry = 0;
    };

    // The entry's index, or -1 (as size_t) with `slot` the empty slot where it would go.
    std::size_t find(std::string_view key, std::uint64_t hash, std::size_t& slot) const;
    Partition& find_or_add(std::string_view key);
    void grow();

    // Partitions in arrival order, indexed by an open-addressing table (linear probing,
    // a power-of-two size at most half full). Never iterated for output: only looked up.
    std::vector<Entry> entries_;
    std::vector<Slot> slots_;
};

}  // namespace routelab::cluster
