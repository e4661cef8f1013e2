#include "driver/session/discovery.hpp"

#include <charconv>

#include "driver/protocol/values.hpp"
#include "driver/session/row_reader.hpp"

namespace routelab::driver {

namespace {

std::optional<std::string> read_node(const RowReader& row, std::uint16_t port, bool local, DiscoveredNode& node) {
    std::string error;
    auto address = row.ipv4("rpc_address", error);
    if (!address || *address == 0) address = row.ipv4(local ? "broadcast_address" : "peer", error);
    if (!error.empty()) return error;
    if (!address) return std::string("no rpc_address");
    node.address = net::Endpoint{*address, port};
    node.host_id = row.text("host_id", error);
    node.datacenter = row.text("data_center", error);
    node.rack = row.text("rack", error);
    node.release_version = row.text("release_version", error);
    for (const auto& token : row.text_set("tokens", error)) {
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
        if (ec != std::errc{} || end != token.data() + token.size()) return "token \"" + token + "\" is not a signed 64-bit integer";
        node.tokens.push_back(value);
    }
    if (!error.empty()) return error;
    if (node.host_id.empty() || node.datacenter.empty() || node.rack.empty()) return std::string("missing host_id, data_center or rack");
    return std::nullopt;
}

}  // namespace

std::optional<std::string> read_local(const cql::RowsResult& rows, std::uint16_t port, Discovery& out) {
    if (rows.rows.size() != 1) return "system.local returned " + std::to_string(rows.rows.size()) + " rows, expected 1";
    RowReader row(rows, 0);
    std::string error;
    out.cluster_name = row.text("cluster_name", error);
    out.partitioner = row.text("partitioner", error);
    if (!error.empty()) return "system.local: " + error;
    DiscoveredNode node;
    if (auto why = read_node(row, port, true, node)) return "system.local: " + *why;
    out.nodes.insert(out.nodes.begin(), std::move(node));
    return std::nullopt;
}

std::optional<std::string> read_peers(const cql::RowsResult& rows, std::uint16_t port, Discovery& out) {
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        DiscoveredNode node;
        if (read_node(RowReader(rows, i), port, false, node)) continue;  // skipped, as drivers do
        out.nodes.push_back(std::move(node));
    }
    return std::nullopt;
}

std::optional<std::string> read_keyspaces(const cql::RowsResult& rows, Discovery& out) {
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        RowReader row(rows, i);
        std::string error;
        DiscoveredKeyspace ks;
        ks.name = row.text("keyspace_name", error);
        ks.replication = row.text_map("replication", error);
        if (!error.empty()) return "system_schema.keyspaces: " + error;
        if (!ks.replication.count("class")) return "system_schema.keyspaces: keyspace " + ks.name + " has no replication class";
        out.keyspaces.push_back(std::move(ks));
    }
    return std::nullopt;
}

std::optional<std::string> read_tables(const cql::RowsResult& rows, Discovery& out) {
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        RowReader row(rows, i);
        std::string error;
        DiscoveredTable table;
        table.keyspace = row.text("keyspace_name", error);
        table.name = row.text("table_name", error);
        if (!error.empty()) return "system_schema.tables: " + error;
        out.tables.push_back(std::move(table));
    }
    return std::nullopt;
}

}  // namespace routelab::driver
