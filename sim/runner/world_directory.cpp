#include "sim/runner/world_directory.hpp"

namespace routelab::runner {

std::optional<std::size_t> WorldDirectory::node_of(driver::NodeIndex node) const {
    if (node < by_driver_index_.size() && by_driver_index_[node]) return by_driver_index_[node];
    if (session_ == nullptr) return std::nullopt;
    const auto& nodes = session_->cluster().nodes;
    if (node >= nodes.size()) return std::nullopt;
    const std::uint32_t ip = nodes[node].address.ip;
    const auto& topology = cluster_.topology();
    for (std::size_t i = 0; i < topology.size(); ++i) {
        if (topology.node(i).ip != ip) continue;
        if (by_driver_index_.size() <= node) by_driver_index_.resize(static_cast<std::size_t>(node) + 1);
        by_driver_index_[node] = i;
        return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> WorldDirectory::node_at(const net::Endpoint& endpoint) const {
    for (std::size_t i = 0; i < cluster_.topology().size(); ++i) {
        if (cluster_.cql_endpoint(i) == endpoint) return i;
        if (auto shard_port = cluster_.shard_aware_endpoint(i); shard_port && *shard_port == endpoint) return i;
    }
    return std::nullopt;
}

std::vector<checks::ListedRoute> WorldDirectory::listed_routes() const {
    std::vector<checks::ListedRoute> out;
    for (const auto& [key, route] : cluster_.client_routes())
        if (route.port) out.push_back({route.connection_id, route.address, *route.port});
    return out;
}

}  // namespace routelab::runner
