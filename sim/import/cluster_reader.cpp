#include "sim/import/cluster_reader.hpp"

#include <algorithm>
#include <charconv>

#include "driver/session/row_reader.hpp"
#include "sim/live/blocking_cql_client.hpp"

namespace routelab::importer {

namespace {

// Rows of one query; an Error answer is returned as `server_error` (the caller decides
// whether the table may be missing), a transport failure as `error`.
struct Rows {
    std::optional<cql::RowsResult> rows;
    std::optional<cql::Error> server_error;
    std::string error;
};

Rows select(live::BlockingCqlClient& client, const std::string& cql_text) {
    Rows out;
    auto answer = client.query(cql_text, out.error);
    if (!answer) {
        out.error = cql_text + ": " + out.error;
        return out;
    }
    if (auto* e = std::get_if<cql::Error>(&*answer)) {
        out.server_error = std::move(*e);
        return out;
    }
    if (auto* result = std::get_if<cql::Result>(&*answer))
        if (auto* rows = std::get_if<cql::RowsResult>(result)) {
            out.rows = std::move(*rows);
            return out;
        }
    out.error = cql_text + ": the answer is not rows";
    return out;
}

// A required table: an Error answer is a failure too.
std::optional<cql::RowsResult> required(live::BlockingCqlClient& client, const std::string& cql_text, std::string& error) {
    Rows r = select(client, cql_text);
    if (r.server_error) error = cql_text + ": the server answered: " + r.server_error->message;
    else if (!r.rows) error = r.error;
    return std::move(r.rows);
}

std::optional<std::string> read_schema(live::BlockingCqlClient& client, ClusterSnapshot& out) {
    std::string error;
    auto tables = required(client, "SELECT keyspace_name, table_name FROM system_schema.tables", error);
    if (!tables) return error;
    auto columns = required(client, "SELECT keyspace_name, table_name, column_name, kind FROM system_schema.columns", error);
    if (!columns) return error;
    for (const auto& ks : out.discovery.keyspaces) out.keyspaces.push_back(KeyspaceInfo{ks, {}});
    auto find_table = [&out](const std::string& ks, const std::string& table) -> TableInfo* {
        for (auto& k : out.keyspaces)
            if (k.keyspace.name == ks)
                for (auto& t : k.tables)
                    if (t.name == table) return &t;
        return nullptr;
    };
    for (std::size_t i = 0; i < tables->rows.size(); ++i) {
        driver::RowReader row(*tables, i);
        const std::string ks = row.text("keyspace_name", error), name = row.text("table_name", error);
        if (!error.empty()) return "system_schema.tables: " + error;
        for (auto& k : out.keyspaces)
            if (k.keyspace.name == ks) k.tables.push_back(TableInfo{name});
    }
    for (std::size_t i = 0; i < columns->rows.size(); ++i) {
        driver::RowReader row(*columns, i);
        const std::string ks = row.text("keyspace_name", error), table = row.text("table_name", error);
        const std::string kind = row.text("kind", error);
        if (!error.empty()) return "system_schema.columns: " + error;
        TableInfo* t = find_table(ks, table);
        if (t == nullptr) continue;   // a column of a view or of a table listed elsewhere
        if (kind == "partition_key") ++t->partition_key_columns;
        if (kind == "clustering") ++t->clustering_columns;
    }
    for (auto& k : out.keyspaces)
        std::sort(k.tables.begin(), k.tables.end(), [](const TableInfo& a, const TableInfo& b) { return a.name < b.name; });
    return std::nullopt;
}

}  // namespace

std::optional<Contact> parse_contact(const std::string& text, std::string& error) {
    auto port_of = [&error](std::string_view p) -> std::optional<std::uint16_t> {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
        if (p.empty() || ec != std::errc{} || end != p.data() + p.size() || value < 1 || value > 65535) {
            error = "the port must be an integer 1-65535, got \"" + std::string(p) + "\"";
            return std::nullopt;
        }
        return static_cast<std::uint16_t>(value);
    };
    Contact c;
    if (text.empty()) {
        error = "empty contact point (expected HOST[:PORT])";
        return std::nullopt;
    }
    if (text.front() == '[') {   // [IPv6]:PORT or [IPv6]
        const auto close = text.find(']');
        if (close == std::string::npos || close == 1) {
            error = "expected [IPv6]:PORT, got \"" + text + "\"";
            return std::nullopt;
        }
        c.host = text.substr(1, close - 1);
        const std::string rest = text.substr(close + 1);
        if (rest.empty()) return c;
        if (rest.front() != ':') {
            error = "expected ':' after ']' in \"" + text + "\"";
            return std::nullopt;
        }
        auto port = port_of(std::string_view(rest).substr(1));
        if (!port) return std::nullopt;
        c.port = *port;
        return c;
    }
    const auto colons = std::count(text.begin(), text.end(), ':');
    if (colons > 1) {   // a bare IPv6 literal
        c.host = text;
        return c;
    }
    const auto colon = text.find(':');
    c.host = text.substr(0, colon);
    if (c.host.empty()) {
        error = "no host in \"" + text + "\" (expected HOST[:PORT])";
        return std::nullopt;
    }
    if (std::any_of(c.host.begin(), c.host.end(), [](char ch) {
            return !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_');
        })) {
        error = "\"" + c.host + "\" is not a host name or address";
        return std::nullopt;
    }
    if (colon != std::string::npos) {
        auto port = port_of(std::string_view(text).substr(colon + 1));
        if (!port) return std::nullopt;
        c.port = *port;
    }
    return c;
}

ReadResult read_cluster(const Contact& contact, const ReadOptions& options) {
    ReadResult result;
    live::BlockingClientOptions client_options;
    client_options.connect_timeout = options.connect_timeout;
    client_options.request_timeout = options.request_timeout;
    live::BlockingCqlClient client(client_options);
    if (auto why = client.connect(contact.host, contact.port)) {
        result.error = *why;
        result.connection_failed = true;
        return result;
    }
    ClusterSnapshot snap;
    snap.contact = (contact.host.find(':') != std::string::npos ? "[" + contact.host + "]" : contact.host) + ":" +
                   std::to_string(contact.port);
    std::string error;
    if (auto supported = client.options(error)) {
        if (auto it = supported->options.find("SCYLLA_NR_SHARDS"); it != supported->options.end() && !it->second.empty()) {
            int shards = 0;
            const std::string& s = it->second.front();
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), shards);
            if (ec == std::errc{} && end == s.data() + s.size() && shards >= 1) snap.shards = shards;
        }
    } else {
        result.error = error;
        return result;
    }
    auto local = required(client, "SELECT * FROM system.local WHERE key='local'", error);
    if (!local) return result.error = error, result;
    if (auto why = driver::read_local(*local, contact.port, snap.discovery)) return result.error = *why, result;
    // peers_v2 (Cassandra 4+) when the server has it, else peers; both carry the same
    // columns the import needs (host id, DC, rack, tokens, an address).
    Rows v2 = select(client, "SELECT * FROM system.peers_v2");
    if (!v2.rows && !v2.server_error) return result.error = v2.error, result;
    if (v2.rows) {
        snap.peers_table = "system.peers_v2";
        if (auto why = driver::read_peers(*v2.rows, contact.port, snap.discovery)) return result.error = "system.peers_v2: " + *why, result;
    } else {
        snap.peers_table = "system.peers";
        auto peers = required(client, "SELECT * FROM system.peers", error);
        if (!peers) return result.error = error, result;
        if (auto why = driver::read_peers(*peers, contact.port, snap.discovery)) return result.error = "system.peers: " + *why, result;
    }
    auto keyspaces = required(client, "SELECT * FROM system_schema.keyspaces", error);
    if (!keyspaces) return result.error = error, result;
    if (auto why = driver::read_keyspaces(*keyspaces, snap.discovery)) return result.error = *why, result;
    if (auto why = read_schema(client, snap)) return result.error = *why, result;
    // Only ScyllaDB with client routes has this table: an Error answer means "none".
    Rows routes = select(client, "SELECT * FROM system.client_routes");
    if (!routes.rows && !routes.server_error) return result.error = routes.error, result;
    if (routes.rows) {
        snap.has_client_routes_table = true;
        std::size_t skipped = 0;
        if (auto why = driver::read_client_routes(*routes.rows, snap.routes, skipped)) return result.error = "system.client_routes: " + *why, result;
    }
    result.snapshot = std::move(snap);
    return result;
}

}  // namespace routelab::importer
