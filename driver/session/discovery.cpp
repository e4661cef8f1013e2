#include "driver/session/discovery.hpp"

#include <charconv>

#include "driver/protocol/values.hpp"

namespace routelab::driver {

namespace {

// Typed access to one row of a Rows result by column name.
class RowReader {
public:
    RowReader(const cql::RowsResult& rows, std::size_t row) : rows_(rows), row_(row) {}

    std::optional<cql::CqlValue> get(const std::string& column, std::string& error) const {
        const auto& columns = rows_.metadata.columns;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i].name != column) continue;
            const auto& cell = rows_.rows[row_].at(i);
            std::optional<std::span<const std::uint8_t>> bytes;
            if (cell) bytes = std::span<const std::uint8_t>(*cell);
            auto value = cql::decode_cell(columns[i].type, bytes);
            if (!value) {
                error = "column " + column + ": " + value.error().to_string();
                return std::nullopt;
            }
            return *value;
        }
        return std::nullopt;  // absent column
    }
    std::string text(const std::string& column, std::string& error) const {
        auto v = get(column, error);
        if (!v) return {};
        if (const auto* s = std::get_if<std::string>(&v->data)) return *s;
        if (const auto* u = std::get_if<cql::Uuid>(&v->data)) return uuid_text(*u);
        return {};
    }
    std::optional<std::uint32_t> ipv4(const std::string& column, std::string& error) const {
        auto v = get(column, error);
        if (!v) return std::nullopt;
        const auto* ip = std::get_if<cql::InetAddress>(&v->data);
        if (ip == nullptr || ip->size != 4) return std::nullopt;
        return net::ipv4(ip->bytes[0], ip->bytes[1], ip->bytes[2], ip->bytes[3]);
    }
    std::vector<std::string> text_set(const std::string& column, std::string& error) const {
        std::vector<std::string> out;
        auto v = get(column, error);
        if (!v) return out;
        if (const auto* c = std::get_if<cql::CqlCollection>(&v->data))
            for (const auto& e : c->elements)
                if (const auto* s = std::get_if<std::string>(&e.data)) out.push_back(*s);
        return out;
    }
    std::map<std::string, std::string> text_map(const std::string& column, std::string& error) const {
        std::map<std::string, std::string> out;
        auto v = get(column, error);
        if (!v) return out;
        if (const auto* m = std::get_if<cql::CqlMap>(&v->data))
            for (std::size_t i = 0; i < m->keys.size(); ++i) {
                const auto* k = std::get_if<std::string>(&m->keys[i].data);
                const auto* val = std::get_if<std::string>(&m->values[i].data);
                if (k && val) out[*k] = *val;
            }
        return out;
    }

    static std::string uuid_text(const cql::Uuid& u) {
        static constexpr char hex[] = "0123456789abcdef";
        std::string s;
        for (std::size_t i = 0; i < u.size(); ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
            s.push_back(hex[u[i] >> 4]);
            s.push_back(hex[u[i] & 0xf]);
        }
        return s;
    }

private:
    const cql::RowsResult& rows_;
    std::size_t row_;
};

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

}  // namespace routelab::driver
