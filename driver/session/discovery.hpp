#pragma once
// What the control connection learned from the system tables, as plain data: the nodes
// (from system.local and system.peers) and the keyspaces with their replication options
// (from system_schema.keyspaces). The session turns it into a ClusterState snapshot.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "driver/session/client_routes.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::driver {

struct DiscoveredNode {
    std::string host_id;              // UUID text
    net::Endpoint address;            // rpc_address and the cluster's port
    std::string datacenter;
    std::string rack;
    std::string release_version;
    std::vector<std::int64_t> tokens;
};

struct DiscoveredKeyspace {
    std::string name;
    std::map<std::string, std::string> replication;  // "class" plus its options
};

struct DiscoveredTable {
    std::string keyspace;
    std::string name;
};

struct Discovery {
    std::string cluster_name;
    std::string partitioner;
    std::vector<DiscoveredNode> nodes;       // the control node first, then peers in row order
    std::vector<DiscoveredKeyspace> keyspaces;
    std::vector<DiscoveredTable> tables;     // system_schema.tables, in row order
    // system.client_routes rows of the configured connection ids; read only when the
    // session uses client routes.
    std::optional<std::vector<ClientRouteRow>> client_routes;
};

// Reads system.local / system.peers rows; an error names the missing or malformed column.
// A peer row lacking an address, host id, DC or rack is skipped, as the drivers do.
std::optional<std::string> read_local(const cql::RowsResult& rows, std::uint16_t port, Discovery& out);
std::optional<std::string> read_peers(const cql::RowsResult& rows, std::uint16_t port, Discovery& out);
std::optional<std::string> read_keyspaces(const cql::RowsResult& rows, Discovery& out);
std::optional<std::string> read_tables(const cql::RowsResult& rows, Discovery& out);

}  // namespace routelab::driver
