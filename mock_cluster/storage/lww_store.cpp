#include "mock_cluster/storage/lww_store.hpp"

#include "sim/core/rng.hpp"

namespace routelab::cluster {

std::size_t LwwStore::Hash::operator()(std::string_view s) const { return static_cast<std::size_t>(sim::fnv1a64(s)); }

bool LwwStore::write(std::string_view partition_key, std::string_view value, std::int64_t timestamp_us, bool deleted) {
    auto it = cells_.find(partition_key);
    if (it == cells_.end()) {
        cells_.emplace(std::string(partition_key), Cell{std::string(value), timestamp_us, deleted});
        return true;
    }
    Cell& cell = it->second;
    // Ties: a tombstone beats a value (as in Cassandra), then the larger value wins, so
    // every replica converges whatever order the writes arrive in.
    const bool tie = timestamp_us == cell.timestamp_us;
    const bool newer = timestamp_us > cell.timestamp_us || (tie && deleted && !cell.deleted) ||
                       (tie && deleted == cell.deleted && std::string_view(value) > std::string_view(cell.value));
    if (!newer) return false;
    cell.value.assign(value);
    cell.timestamp_us = timestamp_us;
    cell.deleted = deleted;
    return true;
}

const Cell* LwwStore::read(std::string_view partition_key) const {
    auto it = cells_.find(partition_key);
    return it == cells_.end() ? nullptr : &it->second;
}

}  // namespace routelab::cluster
