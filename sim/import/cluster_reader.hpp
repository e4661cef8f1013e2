#pragma once
// Reads what a scenario can say about a running cluster: its nodes (system.local,
// system.peers, system.peers_v2 when the server has it), its keyspaces and their tables
// (system_schema.keyspaces, tables, columns), its client routes (system.client_routes)
// and the contact node's shard count (SUPPORTED's SCYLLA_NR_SHARDS). One blocking
// connection to the contact point, the driver's codec and metadata row readers; every
// request has a deadline.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/session/client_routes.hpp"
#include "driver/session/discovery.hpp"

namespace routelab::importer {

struct TableInfo {
    std::string name;
    std::size_t partition_key_columns = 0;
    std::size_t clustering_columns = 0;
};

struct KeyspaceInfo {
    driver::DiscoveredKeyspace keyspace;     // name and replication options
    std::vector<TableInfo> tables;           // by name
};

struct ClusterSnapshot {
    std::string contact;                     // host:port as given
    driver::Discovery discovery;             // nodes (control node first) and keyspaces
    std::string peers_table;                 // "system.peers_v2" or "system.peers"
    std::vector<KeyspaceInfo> keyspaces;     // every keyspace the cluster listed, in its order
    std::vector<driver::ClientRouteRow> routes;
    bool has_client_routes_table = false;
    std::optional<int> shards;               // the contact node's, when it says
};

struct Contact {
    std::string host;
    std::uint16_t port = 9042;
};

// HOST[:PORT], [IPv6]:PORT or a bare IPv6 literal; the error says what is wrong.
std::optional<Contact> parse_contact(const std::string& text, std::string& error);

struct ReadOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{5000};
};

// Either the snapshot or why it could not be read (connection failures start with
// "cannot connect" / "cannot resolve").
struct ReadResult {
    std::optional<ClusterSnapshot> snapshot;
    std::string error;
    bool connection_failed = false;          // unreachable, refused, timed out
};
ReadResult read_cluster(const Contact& contact, const ReadOptions& options);

}  // namespace routelab::importer
