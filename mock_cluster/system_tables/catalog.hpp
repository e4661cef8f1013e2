#pragma once
// The system tables a node serves from the live cluster model: their shapes (keyspace,
// name, columns with types, key columns, in ScyllaDB's layouts) and where their rows come
// from. Reads of these tables are answered by the node itself, never through the
// coordinator.
//
// Served: system.local, system.peers, system.client_routes and system_schema.{keyspaces,
// tables, columns, dropped_columns, types, functions, aggregates, triggers, indexes,
// views, scylla_tables, scylla_keyspaces}. system.peers_v2 does not exist, as on
// ScyllaDB: drivers get Invalid "unconfigured table peers_v2" and fall back to peers.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driver/protocol/byte_reader.hpp"
#include "mock_cluster/schema/schema.hpp"

namespace routelab::cluster {
class Cluster;
}

namespace routelab::cluster::system_tables {

// What a row source reads: the cluster model as seen by one node.
struct SystemView {
    const Cluster& cluster;
    std::uint16_t node;
};

// One cell per column of the table's shape, in shape order; nullopt = null.
using Cells = std::vector<std::optional<routelab::cql::Bytes>>;
using RowSource = void (*)(const SystemView& view, std::vector<Cells>& out);

struct SystemTable {
    TableDef shape;      // columns: partition key, clustering, then regular columns by name
    RowSource rows;
};

// Keyspaces that belong to the server (not user-modifiable). The first two are served.
bool is_system_keyspace(std::string_view keyspace);
bool is_served_system_keyspace(std::string_view keyspace);

// nullptr when the table is not served.
const SystemTable* find(std::string_view keyspace, std::string_view table);
// Every served table, by keyspace then table name (for the system_schema listings).
std::span<const SystemTable> all();

}  // namespace routelab::cluster::system_tables
