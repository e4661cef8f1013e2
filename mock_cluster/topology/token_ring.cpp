#include "mock_cluster/topology/token_ring.hpp"

#include <algorithm>
#include <numeric>
#include <set>

namespace routelab::cluster {

int ReplicationStrategy::total_factor() const {
    if (kind == Kind::simple) return replication_factor;
    int total = 0;
    for (const auto& [dc, rf] : factor_per_dc) total += rf;
    return total;
}

TokenRing::TokenRing(const Topology& topology) : TokenRing(topology, std::vector<bool>(topology.size(), true)) {}

TokenRing::TokenRing(const Topology& topology, std::vector<bool> members)
    : topology_(&topology), members_(std::move(members)) {
    members_.resize(topology.size(), false);
    std::vector<std::pair<std::int64_t, std::uint16_t>> entries;
    for (const auto& node : topology.nodes()) {
        if (!members_[node.index]) continue;
        ++member_count_;
        for (auto token : node.tokens) entries.emplace_back(token, node.index);
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [token, owner] : entries) {
        tokens_.push_back(token);
        owners_.push_back(owner);
    }
}

std::size_t TokenRing::position_of(std::int64_t token) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), token);
    if (it == tokens_.end()) return 0;
    return static_cast<std::size_t>(it - tokens_.begin());
}

namespace {

std::vector<std::uint16_t> simple_replicas(const TokenRing& ring, std::size_t start, int rf, std::size_t node_count) {
    std::vector<std::uint16_t> out;
    const auto wanted = std::min<std::size_t>(static_cast<std::size_t>(std::max(rf, 0)), node_count);
    for (std::size_t step = 0; step < ring.size() && out.size() < wanted; ++step) {
        const std::uint16_t owner = ring.owner_at((start + step) % ring.size());
        if (std::find(out.begin(), out.end(), owner) == out.end()) out.push_back(owner);
    }
    return out;
}

std::vector<std::uint16_t> nts_replicas(const TokenRing& ring, std::size_t start, const std::map<std::string, int>& per_dc) {
    const Topology& topology = ring.topology();
    std::vector<std::uint16_t> out;
    for (const auto& dc : topology.datacenters()) {
        auto rf_it = per_dc.find(dc);
        if (rf_it == per_dc.end() || rf_it->second <= 0) continue;
        std::set<std::string> all_racks;
        std::size_t dc_nodes = 0;
        for (const auto& n : topology.nodes())
            if (n.datacenter == dc && ring.member(n.index)) {
                all_racks.insert(n.rack);
                ++dc_nodes;
            }
        const auto wanted = std::min<std::size_t>(static_cast<std::size_t>(rf_it->second), dc_nodes);
        std::vector<std::uint16_t> chosen;
        std::vector<std::uint16_t> set_aside;
        std::set<std::string> racks_used;
        for (std::size_t step = 0; step < ring.size() && chosen.size() < wanted; ++step) {
            const std::uint16_t owner = ring.owner_at((start + step) % ring.size());
            const NodeIdentity& node = topology.node(owner);
            if (node.datacenter != dc) continue;
            if (std::find(chosen.begin(), chosen.end(), owner) != chosen.end()) continue;
            if (std::find(set_aside.begin(), set_aside.end(), owner) != set_aside.end()) continue;
            if (racks_used.count(node.rack) && racks_used.size() < all_racks.size()) {
                set_aside.push_back(owner);
                continue;
            }
            chosen.push_back(owner);
            racks_used.insert(node.rack);
            if (racks_used.size() == all_racks.size()) {
                for (auto aside : set_aside) {
                    if (chosen.size() >= wanted) break;
                    chosen.push_back(aside);
                }
                set_aside.clear();
            }
        }
        out.insert(out.end(), chosen.begin(), chosen.end());
    }
    return out;
}

}  // namespace

std::vector<std::vector<std::uint16_t>> TokenRing::place(const ReplicationStrategy& strategy) const {
    std::vector<std::vector<std::uint16_t>> out(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        out[i] = strategy.kind == ReplicationStrategy::Kind::simple
                     ? simple_replicas(*this, i, strategy.replication_factor, member_count_)
                     : nts_replicas(*this, i, strategy.factor_per_dc);
    }
    return out;
}

ReplicaMap::ReplicaMap(const TokenRing& ring, const ReplicationStrategy& strategy) {
    tokens_.reserve(ring.size());
    for (std::size_t p = 0; p < ring.size(); ++p) tokens_.push_back(ring.token_at(p));
    offsets_.push_back(0);
    for (const auto& replicas : ring.place(strategy)) {
        flat_.insert(flat_.end(), replicas.begin(), replicas.end());
        offsets_.push_back(static_cast<std::uint32_t>(flat_.size()));
    }
}

std::span<const std::uint16_t> ReplicaMap::replicas_for(std::int64_t token) const {
    if (tokens_.empty()) return {};
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), token);
    const std::size_t p = it == tokens_.end() ? 0 : static_cast<std::size_t>(it - tokens_.begin());
    return std::span<const std::uint16_t>(flat_.data() + offsets_[p], offsets_[p + 1] - offsets_[p]);
}

}  // namespace routelab::cluster
