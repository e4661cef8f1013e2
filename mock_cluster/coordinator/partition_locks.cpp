#include "mock_cluster/coordinator/partition_locks.hpp"

#include <memory>

namespace routelab::cluster {

void PartitionLocks::acquire(std::uint32_t table, std::string_view partition_key, Granted granted) {
    Key key{table, std::string(partition_key)};
    auto it = lines_.find(key);
    if (it != lines_.end()) {
        it->second.push_back(std::move(granted));
        return;
    }
    lines_.emplace(std::move(key), std::deque<Granted>{});
    auto run = std::make_shared<Granted>(std::move(granted));
    scheduler_.after(sim::Duration{}, [run] { (*run)(); });
}

void PartitionLocks::release(std::uint32_t table, std::string_view partition_key) {
    auto it = lines_.find(Key{table, std::string(partition_key)});
    if (it == lines_.end()) return;
    if (it->second.empty()) {
        lines_.erase(it);
        return;
    }
    auto next = std::make_shared<Granted>(std::move(it->second.front()));
    it->second.pop_front();
    scheduler_.after(sim::Duration{}, [next] { (*next)(); });
}

std::size_t PartitionLocks::waiting(std::uint32_t table, std::string_view partition_key) const {
    auto it = lines_.find(Key{table, std::string(partition_key)});
    return it == lines_.end() ? 0 : it->second.size();
}

}  // namespace routelab::cluster
