#pragma once
// The driver's immutable picture of the cluster at one moment. Policies read it and
// never mutate it; the session publishes a new snapshot when metadata changes, so a
// plan being built never sees a half-updated topology.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/net/endpoint.hpp"

namespace routelab::driver {

using NodeIndex = std::uint16_t;

struct NodeInfo {
    NodeIndex index = 0;              // position in ClusterState::nodes
    net::Endpoint address;            // where the driver connects
    std::string name;                 // a label for reports (host id or address)
    std::string datacenter;           // empty while unknown
    std::string rack;
    bool up = true;                   // the driver's belief (events, connection state)
    bool enabled = true;              // not excluded by the policy's allow list
};

struct ClusterState {
    std::vector<NodeInfo> nodes;
};

using ClusterStatePtr = std::shared_ptr<const ClusterState>;

}  // namespace routelab::driver
