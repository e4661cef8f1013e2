// Rows of system.local and system.peers: one node's view of itself and of every other
// node, from the topology (addresses, host ids, tokens, places) and the schema version.
#include <string>

#include "mock_cluster/cluster.hpp"
#include "mock_cluster/system_tables/cells.hpp"
#include "mock_cluster/system_tables/row_sources.hpp"

namespace routelab::cluster::system_tables {

namespace {

constexpr const char* partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
constexpr const char* cql_version = "3.3.1";
// What ScyllaDB reports; drivers only need it present.
constexpr const char* supported_features =
    "CDC,COMPUTED_COLUMNS,CORRECT_COUNTER_ORDER,CORRECT_NON_COMPOUND_RANGE_TOMBSTONES,COUNTERS,DIGEST_MULTIPARTITION_READ,"
    "INDEXES,LARGE_PARTITIONS,LWT,MATERIALIZED_VIEWS,NONFROZEN_UDTS,PER_TABLE_PARTITIONERS,RANGE_TOMBSTONES,ROLES,"
    "SCHEMA_TABLES_V3,TRUNCATION_TABLE,UDA,WRITE_FAILURE_REPLY";

routelab::cql::Bytes tokens_of(const NodeIdentity& node) {
    std::vector<std::string> tokens;
    tokens.reserve(node.tokens.size());
    for (auto t : node.tokens) tokens.push_back(std::to_string(t));
    return cell::text_collection(tokens);
}

}  // namespace

void local_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system", "local");
    const Cluster& c = view.cluster;
    const NodeIdentity& self = c.topology().node(view.node);
    const ClusterConfig& config = c.topology().config();
    out.push_back(row_of(table, {
                                    {"key", cell::text("local")},
                                    {"bootstrapped", cell::text("COMPLETED")},
                                    {"broadcast_address", cell::inet(self.ip)},
                                    {"cluster_name", cell::text(config.cluster_name)},
                                    {"cql_version", cell::text(cql_version)},
                                    {"data_center", cell::text(self.datacenter)},
                                    {"gossip_generation", cell::int32(1)},
                                    {"host_id", cell::uuid(self.host_id)},
                                    {"listen_address", cell::inet(self.ip)},
                                    {"native_protocol_version", cell::text("4")},
                                    {"partitioner", cell::text(partitioner)},
                                    {"rack", cell::text(self.rack)},
                                    {"release_version", cell::text(config.release_version)},
                                    {"rpc_address", cell::inet(self.ip)},
                                    {"schema_version", cell::uuid(c.schema().version())},
                                    {"supported_features", cell::text(supported_features)},
                                    {"tokens", tokens_of(self)},
                                }));
}

void peers_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system", "peers");
    const Cluster& c = view.cluster;
    const ClusterConfig& config = c.topology().config();
    // Every other ring member, up or down: gossip keeps a down node in peers, not one that
    // left the ring (decommissioned) or has not joined it yet.
    for (const auto& node : c.topology().nodes()) {
        if (node.index == view.node || !c.is_member(node.index)) continue;
        out.push_back(row_of(table, {
                                        {"peer", cell::inet(node.ip)},
                                        {"data_center", cell::text(node.datacenter)},
                                        {"host_id", cell::uuid(node.host_id)},
                                        {"preferred_ip", cell::inet(node.ip)},
                                        {"rack", cell::text(node.rack)},
                                        {"release_version", cell::text(config.release_version)},
                                        {"rpc_address", cell::inet(node.ip)},
                                        {"schema_version", cell::uuid(c.schema().version())},
                                        {"supported_features", cell::text(supported_features)},
                                        {"tokens", tokens_of(node)},
                                    }));
    }
}

void client_routes_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system", "client_routes");
    auto port = [](const std::optional<std::int32_t>& p) -> std::optional<routelab::cql::Bytes> {
        if (!p) return std::nullopt;
        return cell::int32(*p);
    };
    for (const auto& [key, route] : view.cluster.client_routes()) {
        out.push_back(row_of(table, {
                                        {"connection_id", cell::text(route.connection_id)},
                                        {"host_id", cell::uuid(route.host_id)},
                                        {"address", cell::text(route.address)},
                                        {"port", port(route.port)},
                                        {"tls_port", port(route.tls_port)},
                                        {"alternator_port", port(route.alternator_port)},
                                        {"alternator_https_port", port(route.alternator_https_port)},
                                    }));
    }
}

void no_rows(const SystemView&, std::vector<Cells>&) {}

}  // namespace routelab::cluster::system_tables
