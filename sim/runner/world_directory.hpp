#pragma once
// The World as checkers may look it up (checks::WorldView): node names and places from
// the mock cluster, the driver's node indexes matched to them by address, and the client
// routes the cluster lists.
#include <optional>
#include <vector>

#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/checks/world_view.hpp"

namespace routelab::runner {

class WorldDirectory final : public checks::WorldView {
public:
    explicit WorldDirectory(const cluster::Cluster& cluster) : cluster_(cluster) {}
    void set_session(const driver::Session* session) { session_ = session; }
    void set_contact_points(std::vector<net::Endpoint> points) { contact_points_ = std::move(points); }

    std::size_t node_count() const override { return cluster_.topology().size(); }
    const std::string& node_name(std::size_t node) const override { return cluster_.topology().node(node).name; }
    const std::string& node_datacenter(std::size_t node) const override { return cluster_.topology().node(node).datacenter; }
    std::optional<std::size_t> node_of(driver::NodeIndex node) const override;
    std::optional<std::size_t> node_at(const net::Endpoint& endpoint) const override;
    std::vector<checks::ListedRoute> listed_routes() const override;
    const std::vector<net::Endpoint>& contact_points() const override { return contact_points_; }

private:
    const cluster::Cluster& cluster_;
    const driver::Session* session_ = nullptr;
    std::vector<net::Endpoint> contact_points_;
    // Driver node index -> cluster node; a driver index keeps its node for the session's life.
    mutable std::vector<std::optional<std::size_t>> by_driver_index_;
};

}  // namespace routelab::runner
