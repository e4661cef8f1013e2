#pragma once
// One replica's data for one table: its partitions by partition-key bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

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

    const Partition* partition(std::string_view partition_key) const;
    std::size_t partitions() const { return partitions_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const;
    };
    // Lookup only, never iterated: its order cannot leak into a run.
    std::unordered_map<std::string, Partition, Hash, std::equal_to<>> partitions_;
};

}  // namespace routelab::cluster
