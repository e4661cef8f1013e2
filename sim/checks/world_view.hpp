#pragma once
// What a checker may look up in the World besides the facts: names and places of the
// cluster's nodes and the client routes listed now. Read-only by construction.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::checks {

// One row of system.client_routes as the cluster lists it now.
struct ListedRoute {
    std::string connection_id;
    std::string address;
    int port = 0;
};

class WorldView {
public:
    virtual ~WorldView() = default;
    // The cluster's nodes in the runner's order (the order node_load lists them in).
    virtual std::size_t node_count() const = 0;
    virtual const std::string& node_name(std::size_t node) const = 0;
    virtual const std::string& node_datacenter(std::size_t node) const = 0;
    // The cluster node behind a driver node index, if the driver knows it by its address.
    virtual std::optional<std::size_t> node_of(driver::NodeIndex node) const = 0;
    // The node whose own CQL endpoint (either port) is at this address.
    virtual std::optional<std::size_t> node_at(const net::Endpoint& endpoint) const = 0;
    virtual std::vector<ListedRoute> listed_routes() const = 0;
    // Where the driver was told to connect first.
    virtual const std::vector<net::Endpoint>& contact_points() const = 0;
};

}  // namespace routelab::checks
