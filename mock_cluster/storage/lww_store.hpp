#pragma once
// One replica's data: partitions keyed by their partition-key bytes, each holding the
// newest write by timestamp (last write wins; on a tie a deletion wins, then the larger
// value, so that all replicas converge whatever order writes arrive in).
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace routelab::cluster {

struct Cell {
    std::string value;
    std::int64_t timestamp_us = INT64_MIN;
    bool deleted = false;
};

class LwwStore {
public:
    // Applies a write; returns true if it became the visible version.
    bool write(std::string_view partition_key, std::string_view value, std::int64_t timestamp_us, bool deleted = false);
    const Cell* read(std::string_view partition_key) const;
    std::size_t partitions() const { return cells_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const;
    };
    // Lookup only, never iterated: its order cannot leak into a run.
    std::unordered_map<std::string, Cell, Hash, std::equal_to<>> cells_;
};

}  // namespace routelab::cluster
