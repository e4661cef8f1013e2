#include "driver/metadata/cluster_state.hpp"

#include <algorithm>
#include <utility>

#include "driver/metadata/check.hpp"
#include "driver/protocol/sharding.hpp"

namespace routelab::driver {

TokenRing::TokenRing(const std::vector<NodeInfo>& nodes) {
    std::vector<std::pair<std::int64_t, NodeIndex>> entries;
    for (const NodeInfo& node : nodes)
        for (std::int64_t token : node.tokens) entries.emplace_back(token, node.index);
    // Ties (two nodes claiming one token: bad metadata) resolve to the lower node index,
    // deterministically.
    std::sort(entries.begin(), entries.end());
    tokens_.reserve(entries.size());
    owners_.reserve(entries.size());
    for (const auto& [token, owner] : entries) {
        tokens_.push_back(token);
        owners_.push_back(owner);
    }
}

std::size_t TokenRing::position_of(std::int64_t token) const {
    check(!tokens_.empty(), "TokenRing::position_of on an empty ring");
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), token);
    if (it == tokens_.end()) return 0;
    return static_cast<std::size_t>(it - tokens_.begin());
}

namespace {

// A replica found by a walk, with its distance (ring steps) from the start position: the
// first position at which the walk met it. Sorting by distance gives ring order.
struct Found {
    std::size_t distance;
    NodeIndex node;
};

}  // namespace

ReplicaTable::ReplicaTable(const TokenRing& ring, const std::vector<NodeInfo>& nodes,
                           const std::vector<std::string>& datacenters, const ReplicationStrategy& strategy)
    : dc_count_(datacenters.size()) {
    const std::size_t positions = ring.size();
    const std::size_t node_count = nodes.size();

    // Per node: DC index and a global rack id; per DC: the ring positions it owns, its
    // ring-member count and rack count (nodes without tokens are not on the ring and count
    // for neither).
    std::vector<std::size_t> node_dc(node_count, dc_count_);
    std::vector<std::size_t> node_rack(node_count, 0);
    std::vector<std::pair<std::size_t, std::string_view>> rack_keys;
    std::vector<bool> on_ring(node_count, false);
    for (std::size_t p = 0; p < positions; ++p) on_ring[ring.owner_at(p)] = true;
    std::vector<std::size_t> dc_members(dc_count_, 0);
    std::vector<std::size_t> dc_racks(dc_count_, 0);
    for (const NodeInfo& node : nodes) {
        auto dc_it = std::lower_bound(datacenters.begin(), datacenters.end(), node.datacenter);
        check(dc_it != datacenters.end() && *dc_it == node.datacenter, "ReplicaTable: node DC missing from datacenters");
        const auto dc = static_cast<std::size_t>(dc_it - datacenters.begin());
        node_dc[node.index] = dc;
        if (!on_ring[node.index]) continue;
        ++dc_members[dc];
        const std::pair<std::size_t, std::string_view> key{dc, node.rack};
        auto rack_it = std::find(rack_keys.begin(), rack_keys.end(), key);
        if (rack_it == rack_keys.end()) {
            rack_keys.push_back(key);
            ++dc_racks[dc];
            rack_it = rack_keys.end() - 1;
        }
        node_rack[node.index] = static_cast<std::size_t>(rack_it - rack_keys.begin());
    }
    std::vector<std::vector<std::size_t>> dc_positions(dc_count_);
    for (std::size_t p = 0; p < positions; ++p) dc_positions[node_dc[ring.owner_at(p)]].push_back(p);

    std::vector<int> dc_factor(dc_count_, 0);
    if (strategy.kind == ReplicationStrategy::Kind::network_topology) {
        for (std::size_t d = 0; d < dc_count_; ++d) {
            auto it = strategy.factor_per_dc.find(datacenters[d]);
            if (it != strategy.factor_per_dc.end()) dc_factor[d] = std::max(it->second, 0);
        }
    }

    std::vector<std::uint32_t> seen(node_count, 0);  // epoch stamps: "already chosen or set aside"
    std::uint32_t epoch = 0;
    std::vector<bool> rack_used(rack_keys.size(), false);
    std::vector<Found> found;
    std::vector<Found> aside;

    offsets_.reserve(positions + 1);
    offsets_.push_back(0);
    dc_offsets_.reserve(positions * (dc_count_ + 1));

    auto walk_global = [&](std::size_t start, std::size_t wanted) {
        ++epoch;
        for (std::size_t step = 0; step < positions && found.size() < wanted; ++step) {
            const NodeIndex owner = ring.owner_at((start + step) % positions);
            if (seen[owner] == epoch) continue;
            seen[owner] = epoch;
            found.push_back({step, owner});
        }
    };

    for (std::size_t p = 0; p < positions; ++p) {
        found.clear();
        switch (strategy.kind) {
            case ReplicationStrategy::Kind::local:
                break;
            case ReplicationStrategy::Kind::everywhere:
                walk_global(p, node_count);
                break;
            case ReplicationStrategy::Kind::other:
                walk_global(p, 1);
                break;
            case ReplicationStrategy::Kind::simple:
                walk_global(p, static_cast<std::size_t>(std::max(strategy.replication_factor, 0)));
                break;
            case ReplicationStrategy::Kind::network_topology:
                ++epoch;
                for (std::size_t d = 0; d < dc_count_; ++d) {
                    const std::vector<std::size_t>& sub = dc_positions[d];
                    const std::size_t wanted = std::min(static_cast<std::size_t>(dc_factor[d]), dc_members[d]);
                    if (wanted == 0 || sub.empty()) continue;
                    // Cassandra's rule (reference cql-protocol.md §4.3): a node in an already
                    // used rack is set aside while some rack of the DC is still unused; once
                    // all racks are used, set-aside nodes are appended in walk order.
                    std::size_t chosen = 0;
                    std::size_t racks_used = 0;
                    aside.clear();
                    std::fill(rack_used.begin(), rack_used.end(), false);
                    const std::size_t first =
                        static_cast<std::size_t>(std::lower_bound(sub.begin(), sub.end(), p) - sub.begin());
                    for (std::size_t i = 0; i < sub.size() && chosen < wanted; ++i) {
                        const std::size_t position = sub[(first + i) % sub.size()];
                        const NodeIndex owner = ring.owner_at(position);
                        if (seen[owner] == epoch) continue;
                        seen[owner] = epoch;
                        const std::size_t distance = (position + positions - p) % positions;
                        const std::size_t rack = node_rack[owner];
                        if (rack_used[rack] && racks_used < dc_racks[d]) {
                            aside.push_back({distance, owner});
                            continue;
                        }
                        found.push_back({distance, owner});
                        ++chosen;
                        if (!rack_used[rack]) {
                            rack_used[rack] = true;
                            ++racks_used;
                        }
                        if (racks_used == dc_racks[d]) {
                            for (const Found& f : aside) {
                                if (chosen >= wanted) break;
                                found.push_back(f);
                                ++chosen;
                            }
                            aside.clear();
                        }
                    }
                }
                break;
        }
        // Ring order: by distance from the token's position (distances are distinct: one
        // owner per position, and each node is recorded at its first position).
        std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.distance < b.distance; });
        for (const Found& f : found) ring_order_.push_back(f.node);
        // Grouped: DC by DC, ring order within each DC (stable on the ring-ordered list).
        const std::size_t start = grouped_.size();
        std::stable_sort(found.begin(), found.end(),
                         [&](const Found& a, const Found& b) { return node_dc[a.node] < node_dc[b.node]; });
        std::size_t i = 0;
        for (std::size_t d = 0; d <= dc_count_; ++d) {
            while (i < found.size() && node_dc[found[i].node] < d) ++i;
            dc_offsets_.push_back(static_cast<std::uint32_t>(i));
        }
        for (const Found& f : found) grouped_.push_back(f.node);
        check(grouped_.size() - start == found.size(), "ReplicaTable: grouped size");
        offsets_.push_back(static_cast<std::uint32_t>(grouped_.size()));
    }
}

ReplicaSet ReplicaTable::at(std::size_t position) const {
    check(position + 1 < offsets_.size(), "ReplicaTable::at: position out of range");
    const std::uint32_t begin = offsets_[position];
    const std::uint32_t count = offsets_[position + 1] - begin;
    ReplicaSet set;
    set.grouped = std::span<const NodeIndex>(grouped_.data() + begin, count);
    set.ring_order = std::span<const NodeIndex>(ring_order_.data() + begin, count);
    set.dc_offsets = std::span<const std::uint32_t>(dc_offsets_.data() + position * (dc_count_ + 1), dc_count_ + 1);
    return set;
}

std::size_t ClusterState::datacenter_index(std::string_view dc) const {
    auto it = std::lower_bound(datacenters.begin(), datacenters.end(), dc,
                               [](const std::string& a, std::string_view b) { return a < b; });
    if (it == datacenters.end() || *it != dc) return datacenters.size();
    return static_cast<std::size_t>(it - datacenters.begin());
}

ReplicaSet ClusterState::replicas(const KeyspaceInfo& keyspace_info, std::int64_t token) const {
    if (!keyspace_info.replicas || !ring || ring->empty()) return {};
    return keyspace_info.replicas->at(ring->position_of(token));
}

std::uint16_t ClusterState::shard_of(NodeIndex node, std::int64_t token) const {
    const NodeInfo& info = nodes[node];
    if (info.shard_count <= 1) return 0;
    return static_cast<std::uint16_t>(cql::shard_of(token, info.shard_count, info.sharding_ignore_msb));
}

}  // namespace routelab::driver
