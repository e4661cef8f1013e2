// System tables served by a node, end to end: real frames through a ServerConnection over
// the simulated network. Each example sends the query shapes drivers send (QUERY and
// PREPARE/EXECUTE, with literals and bound values, = and IN) and checks the rows, the
// column names/order and the metadata types; every cell must decode with its type.
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

std::vector<std::string> texts(const wire::CqlValue& v) {
    std::vector<std::string> out;
    for (const auto& e : std::get<wire::CqlCollection>(v.data).elements) out.push_back(std::get<std::string>(e.data));
    return out;
}

std::map<std::string, std::string> text_map(const wire::CqlValue& v) {
    const auto& m = std::get<wire::CqlMap>(v.data);
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < m.keys.size(); ++i) out[std::get<std::string>(m.keys[i].data)] = std::get<std::string>(m.values[i].data);
    return out;
}

wire::InetAddress ip(int last) { return wire::InetAddress::v4(127, 0, 0, static_cast<std::uint8_t>(last)); }

void add_user_schema(cluster::Cluster& c) {
    c.create_keyspace("ks", cluster::ReplicationStrategy::network_topology({{"dc1", 3}, {"dc2", 1}}));
    cluster::TableDef t;
    t.keyspace = "ks";
    t.name = "events";
    t.columns = {{"tenant", wire::ColumnType::of(wire::TypeId::int_)},
                 {"day", wire::ColumnType::of(wire::TypeId::varchar)},
                 {"at", wire::ColumnType::of(wire::TypeId::bigint)},
                 {"payload", wire::ColumnType::of(wire::TypeId::blob)}};
    t.partition_key_columns = 2;
    t.clustering_key_columns = 1;
    t.clustering_order = {cluster::ClusteringOrder::desc};
    c.create_table(t);
}

}  // namespace

TEST_CASE("system.local: one row describing the node, with driver-required columns and types") {
    World world;
    RawClient client(world, 1);
    client.startup();
    const auto rows = client.rows("SELECT * FROM system.local WHERE key='local'");
    REQUIRE(rows.rows.size() == 1);
    check_cells_decode(rows);
    CHECK(column_names(rows) == std::vector<std::string>{
                                    "key", "bootstrapped", "broadcast_address", "cluster_name", "cql_version", "data_center",
                                    "gossip_generation", "host_id", "listen_address", "native_protocol_version", "partitioner",
                                    "rack", "release_version", "rpc_address", "schema_version", "supported_features", "tokens",
                                    "truncated_at"});
    for (const auto& c : rows.metadata.columns) {
        CHECK(c.keyspace == "system");
        CHECK(c.table == "local");
    }
    CHECK(type_of(rows, "key") == "text");
    CHECK(type_of(rows, "rpc_address") == "inet");
    CHECK(type_of(rows, "host_id") == "uuid");
    CHECK(type_of(rows, "schema_version") == "uuid");
    CHECK(type_of(rows, "tokens") == "set<text>");
    CHECK(text(rows, 0, "key") == "local");
    CHECK(text(rows, 0, "cluster_name") == "test cluster");
    CHECK(text(rows, 0, "data_center") == "dc1");
    CHECK(text(rows, 0, "rack") == "r2");
    CHECK(text(rows, 0, "release_version") == "3.0.8");
    CHECK(text(rows, 0, "partitioner") == "org.apache.cassandra.dht.Murmur3Partitioner");
    CHECK(std::get<wire::InetAddress>(cell(rows, 0, "rpc_address").data) == ip(2));
    CHECK(std::get<wire::InetAddress>(cell(rows, 0, "broadcast_address").data) == ip(2));
    CHECK(std::get<wire::Uuid>(cell(rows, 0, "host_id").data) == world.cluster.topology().node(1).host_id);
    CHECK(std::get<wire::Uuid>(cell(rows, 0, "schema_version").data) == world.cluster.schema().version());
    CHECK(texts(cell(rows, 0, "tokens")) == std::vector<std::string>{"-3000", "6000"});
    CHECK(cell(rows, 0, "truncated_at").is_null());
}

TEST_CASE("system.local honours the projection order, no WHERE, and ScyllaDB's USING TIMEOUT suffix") {
    World world;
    RawClient client(world, 0);
    client.startup();
    const auto a = client.rows("SELECT tokens, host_id, cluster_name FROM system.local");
    CHECK(column_names(a) == std::vector<std::string>{"tokens", "host_id", "cluster_name"});
    REQUIRE(a.rows.size() == 1);
    check_cells_decode(a);
    const auto b = client.rows("select schema_version from system.local where key = 'local' USING TIMEOUT 2000ms;");
    CHECK(column_names(b) == std::vector<std::string>{"schema_version"});
    REQUIRE(b.rows.size() == 1);
    // A key that is not 'local' selects nothing.
    CHECK(client.rows("SELECT key FROM system.local WHERE key = 'other'").rows.empty());
}

TEST_CASE("system.peers: one row per other node; WHERE peer by literal, QUERY value and prepared marker") {
    World world;
    world.cluster.stop_node(3);   // a down node stays in peers
    RawClient client(world, 1);
    client.startup();
    const auto all = client.rows("SELECT * FROM system.peers");
    check_cells_decode(all);
    CHECK(column_names(all) == std::vector<std::string>{"peer", "data_center", "host_id", "preferred_ip", "rack",
                                                        "release_version", "rpc_address", "schema_version",
                                                        "supported_features", "tokens"});
    REQUIRE(all.rows.size() == 3);
    CHECK(std::get<wire::InetAddress>(cell(all, 0, "peer").data) == ip(1));
    CHECK(std::get<wire::InetAddress>(cell(all, 1, "peer").data) == ip(3));
    CHECK(std::get<wire::InetAddress>(cell(all, 2, "rpc_address").data) == ip(4));
    CHECK(text(all, 2, "data_center") == "dc2");
    CHECK(texts(cell(all, 0, "tokens")) == std::vector<std::string>{"-6000", "3000"});
    // Schema agreement: every peer reports the local schema version.
    const auto local = client.rows("SELECT schema_version FROM system.local WHERE key='local'");
    for (std::size_t i = 0; i < all.rows.size(); ++i) CHECK(cell(all, i, "schema_version") == cell(local, 0, "schema_version"));

    const auto literal = client.rows("SELECT peer, host_id FROM system.peers WHERE peer = '127.0.0.3'");
    REQUIRE(literal.rows.size() == 1);
    CHECK(std::get<wire::Uuid>(cell(literal, 0, "host_id").data) == world.cluster.topology().node(2).host_id);

    const auto bound = client.rows("SELECT rack FROM system.peers WHERE peer = ?", {wire::Value::of({127, 0, 0, 1})});
    REQUIRE(bound.rows.size() == 1);
    CHECK(text(bound, 0, "rack") == "r1");

    const auto prepared = client.prepare("SELECT data_center FROM system.peers WHERE peer = ?");
    REQUIRE(prepared.metadata.columns.size() == 1);
    CHECK(prepared.metadata.columns[0].name == "peer");
    CHECK(wire::type_name(prepared.metadata.columns[0].type) == "inet");
    CHECK(prepared.metadata.pk_indexes == std::vector<std::uint16_t>{0});
    CHECK(column_names(wire::RowsResult{prepared.result_metadata, {}}) == std::vector<std::string>{"data_center"});
    const auto executed = RawClient::expect_rows(client.execute(prepared.id, {wire::Value::of({127, 0, 0, 4})}));
    REQUIRE(executed.rows.size() == 1);
    CHECK(text(executed, 0, "data_center") == "dc2");
    // The local node is not its own peer.
    CHECK(RawClient::expect_rows(client.execute(prepared.id, {wire::Value::of({127, 0, 0, 2})})).rows.empty());
}

TEST_CASE("system.peers_v2 is an unconfigured table, as on ScyllaDB (drivers fall back to peers)") {
    World world;
    RawClient client(world, 0);
    client.startup();
    const auto e = RawClient::expect_error(client.query("SELECT * FROM system.peers_v2"));
    CHECK(e.code == wire::error_codes::invalid);
    CHECK(e.message == "unconfigured table peers_v2");
    auto prepare = client.request(wire::Prepare{"SELECT host_id, peer, peer_port, native_address, native_port FROM system.peers_v2"});
    CHECK(RawClient::expect_error(prepare).code == wire::error_codes::invalid);
    CHECK_FALSE(client.closed());
}

TEST_CASE("system_schema.keyspaces lists system, system_schema and user keyspaces with replication maps") {
    World world;
    add_user_schema(world.cluster);
    world.cluster.create_keyspace("simple", cluster::ReplicationStrategy::simple(2), false);
    RawClient client(world, 0);
    client.startup();
    const auto rows = client.rows("SELECT * FROM system_schema.keyspaces");
    check_cells_decode(rows);
    CHECK(column_names(rows) == std::vector<std::string>{"keyspace_name", "durable_writes", "replication"});
    CHECK(type_of(rows, "replication") == "map<text, text>");
    CHECK(type_of(rows, "durable_writes") == "boolean");
    REQUIRE(rows.rows.size() == 4);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) names.push_back(text(rows, i, "keyspace_name"));
    CHECK(names == std::vector<std::string>{"ks", "simple", "system", "system_schema"});
    CHECK(text_map(cell(rows, 0, "replication")) ==
          std::map<std::string, std::string>{{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"}, {"dc1", "3"}, {"dc2", "1"}});
    CHECK(text_map(cell(rows, 1, "replication")) ==
          std::map<std::string, std::string>{{"class", "org.apache.cassandra.locator.SimpleStrategy"}, {"replication_factor", "2"}});
    CHECK(std::get<bool>(cell(rows, 0, "durable_writes").data));
    CHECK_FALSE(std::get<bool>(cell(rows, 1, "durable_writes").data));
    CHECK(text_map(cell(rows, 2, "replication")).at("class") == "org.apache.cassandra.locator.LocalStrategy");

    // gocql's prepared lookup, with skip_metadata as gocql sends it: rows follow the
    // PREPARE result metadata.
    const auto prepared = client.prepare("SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = ?");
    CHECK(wire::type_name(prepared.metadata.columns.at(0).type) == "text");
    const auto r = RawClient::expect_rows(client.execute(prepared.id, {text_value("simple")}, true));
    CHECK(r.metadata.no_metadata);
    CHECK(r.metadata.column_count == 2);
    REQUIRE(r.rows.size() == 1);
    const auto named = wire::RowsResult{prepared.result_metadata, r.rows};
    CHECK_FALSE(std::get<bool>(cell(named, 0, "durable_writes").data));
    // Rust's keyspace filter: `IN ?` binds a list<text>.
    const auto in = client.prepare("SELECT keyspace_name, replication, durable_writes FROM system_schema.keyspaces where keyspace_name in ?");
    CHECK(in.metadata.columns.at(0).name == "in(keyspace_name)");
    CHECK(wire::type_name(in.metadata.columns.at(0).type) == "list<text>");
    CHECK(RawClient::expect_rows(client.execute(in.id, {list_of_text({"ks", "system", "nope"})})).rows.size() == 2);
}

TEST_CASE("system_schema.tables and .columns describe user and system tables; WHERE keyspace and table") {
    World world;
    add_user_schema(world.cluster);
    RawClient client(world, 0);
    client.startup();
    const auto tables = client.rows("SELECT * FROM system_schema.tables WHERE keyspace_name = 'ks'");
    check_cells_decode(tables);
    REQUIRE(tables.rows.size() == 1);
    CHECK(text(tables, 0, "table_name") == "events");
    CHECK(texts(cell(tables, 0, "flags")) == std::vector<std::string>{"compound"});
    CHECK(type_of(tables, "flags") == "set<text>");
    CHECK(type_of(tables, "id") == "uuid");
    // The system keyspaces list their own tables.
    const auto system_tables = client.rows("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'system'");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < system_tables.rows.size(); ++i) names.push_back(text(system_tables, i, "table_name"));
    CHECK(names == std::vector<std::string>{"client_routes", "local", "peers"});

    const auto columns = client.rows("SELECT * FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
                                     {text_value("ks"), text_value("events")});
    check_cells_decode(columns);
    CHECK(column_names(columns) == std::vector<std::string>{"keyspace_name", "table_name", "column_name", "clustering_order",
                                                            "column_name_bytes", "kind", "position", "type"});
    REQUIRE(columns.rows.size() == 4);
    struct Expected {
        const char* name;
        const char* kind;
        int position;
        const char* type;
        const char* order;
    };
    const Expected expected[] = {{"at", "clustering", 0, "bigint", "desc"},
                                 {"day", "partition_key", 1, "text", "none"},
                                 {"payload", "regular", -1, "blob", "none"},
                                 {"tenant", "partition_key", 0, "int", "none"}};
    for (std::size_t i = 0; i < 4; ++i) {
        INFO(expected[i].name);
        CHECK(text(columns, i, "column_name") == expected[i].name);
        CHECK(text(columns, i, "kind") == expected[i].kind);
        CHECK(std::get<std::int32_t>(cell(columns, i, "position").data) == expected[i].position);
        CHECK(text(columns, i, "type") == expected[i].type);
        CHECK(text(columns, i, "clustering_order") == expected[i].order);
        CHECK(std::get<wire::Bytes>(cell(columns, i, "column_name_bytes").data) ==
              wire::Bytes(expected[i].name, expected[i].name + std::string(expected[i].name).size()));
    }
    // gocql's per-keyspace columns query, prepared.
    const auto prepared = client.prepare(
        "SELECT table_name, column_name, clustering_order, type, kind, position FROM system_schema.columns WHERE keyspace_name = ?");
    CHECK(prepared.metadata.pk_indexes == std::vector<std::uint16_t>{0});
    CHECK(RawClient::expect_rows(client.execute(prepared.id, {text_value("ks")})).rows.size() == 4);
}

TEST_CASE("the other system_schema tables answer with zero rows and the columns drivers select") {
    World world;
    add_user_schema(world.cluster);
    RawClient client(world, 0);
    client.startup();
    for (const char* table : {"types", "functions", "aggregates", "triggers", "indexes", "views", "dropped_columns",
                              "scylla_tables", "scylla_keyspaces"}) {
        INFO(table);
        const auto rows = client.rows(std::string("SELECT * FROM system_schema.") + table);
        CHECK(rows.rows.empty());
        CHECK_FALSE(rows.metadata.columns.empty());
        CHECK(rows.metadata.columns[0].name == "keyspace_name");
    }
    // gocql's exact per-keyspace statements must prepare (every named column exists).
    for (const char* q : {
             "SELECT function_name, argument_types, argument_names, body, called_on_null_input, language, return_type FROM system_schema.functions WHERE keyspace_name = ?",
             "SELECT aggregate_name, argument_types, final_func, initcond, return_type, state_func, state_type FROM system_schema.aggregates WHERE keyspace_name = ?",
             "SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = ?",
             "SELECT view_name, base_table_id, base_table_name, bloom_filter_fp_chance, caching, comment, compaction, compression, "
             "crc_check_chance, dclocal_read_repair_chance, default_time_to_live, extensions, gc_grace_seconds, id, "
             "include_all_columns, max_index_interval, memtable_flush_period_in_ms, min_index_interval, read_repair_chance, "
             "speculative_retry FROM system_schema.views WHERE keyspace_name = ?",
             "SELECT keyspace_name, table_name, partitioner FROM system_schema.scylla_tables",
             "SELECT keyspace_name, initial_tablets FROM system_schema.scylla_keyspaces",
         }) {
        INFO(q);
        const auto prepared = client.prepare(q);
        const std::vector<wire::Value> values(prepared.metadata.columns.size(), text_value("ks"));
        CHECK(RawClient::expect_rows(client.execute(prepared.id, values)).rows.empty());
    }
}

TEST_CASE("system.client_routes: empty until routes are set; IN ? list bind, IN (?, ?) values, IN literals") {
    World world;
    RawClient client(world, 0);
    client.startup();
    const char* select = "SELECT connection_id, host_id, address, port, tls_port FROM system.client_routes";
    CHECK(client.rows(select).rows.empty());
    const auto& nodes = world.cluster.topology().nodes();
    world.cluster.upsert_client_routes({{"c1", nodes[0].host_id, "proxy.example", 19042, std::nullopt, {}, {}},
                                        {"c1", nodes[1].host_id, "proxy.example", 19043, 19143, {}, {}},
                                        {"c2", nodes[0].host_id, "10.0.0.9", 9042, std::nullopt, {}, {}}});
    const auto all = client.rows(select);
    check_cells_decode(all);
    CHECK(all.rows.size() == 3);
    CHECK(type_of(all, "port") == "int");
    CHECK(type_of(all, "host_id") == "uuid");

    // Rust / scylladb gocql: prepared, `IN ?` bound to list<text>.
    const auto prepared = client.prepare(std::string(select) + " WHERE connection_id IN ?");
    REQUIRE(prepared.metadata.columns.size() == 1);
    CHECK(wire::type_name(prepared.metadata.columns[0].type) == "list<text>");
    const auto c1 = RawClient::expect_rows(client.execute(prepared.id, {list_of_text({"c1"})}));
    REQUIRE(c1.rows.size() == 2);
    // Rows come in (connection_id, host_id) order.
    const std::size_t n1 = std::get<wire::Uuid>(cell(c1, 0, "host_id").data) == nodes[1].host_id ? 0 : 1;
    CHECK(std::get<std::int32_t>(cell(c1, n1, "tls_port").data) == 19143);
    CHECK(cell(c1, 1 - n1, "tls_port").is_null());
    CHECK(std::get<std::int32_t>(cell(c1, 1 - n1, "port").data) == 19042);
    // Rust after an event: IN ? AND IN ? (list<uuid> for host_id).
    const auto pairs = client.prepare(std::string(select) + " WHERE connection_id IN ? AND host_id IN ?");
    CHECK(wire::type_name(pairs.metadata.columns.at(1).type) == "list<uuid>");
    wire::Bytes hosts;
    wire::ByteWriter w(hosts);
    w.i32(1);
    w.i32(16);
    w.raw(std::span<const std::uint8_t>(nodes[0].host_id));
    CHECK(RawClient::expect_rows(client.execute(pairs.id, {list_of_text({"c1", "c2"}), wire::Value::of(hosts)})).rows.size() == 2);
    // Python (scylladb fork): plain QUERY, one positional value per id.
    const auto python = client.rows(std::string(select) + " WHERE connection_id IN (?, ?)", {text_value("c2"), text_value("zz")});
    REQUIRE(python.rows.size() == 1);
    CHECK(text(python, 0, "address") == "10.0.0.9");
    CHECK(client.rows(std::string(select) + " WHERE connection_id IN ('c1', 'c2') ALLOW FILTERING").rows.size() == 3);
    // Removal.
    world.cluster.remove_client_routes({{"c1", nodes[0].host_id}});
    CHECK(client.rows(select).rows.size() == 2);
}

TEST_CASE("a system-table read takes one service slot on the connection's shard and is answered locally") {
    World world;
    RawClient client(world, 2);
    client.startup();
    std::uint64_t before = 0;
    for (int s = 0; s < 2; ++s) before += world.cluster.coordinator_shard(2, static_cast<std::size_t>(s)).admitted();
    const auto coordinated = world.cluster.node_state(2).coordinated;
    client.rows("SELECT * FROM system.local");
    std::uint64_t after = 0;
    for (int s = 0; s < 2; ++s) after += world.cluster.coordinator_shard(2, static_cast<std::size_t>(s)).admitted();
    CHECK(after == before + 1);
    CHECK(world.cluster.node_state(2).coordinated == coordinated);
}

TEST_CASE("unsupported system queries are refused with a message naming what is unsupported") {
    World world;
    RawClient client(world, 0);
    client.startup();
    auto count = RawClient::expect_error(client.query("SELECT count(*) FROM system.local"));
    CHECK(count.code == wire::error_codes::syntax_error);
    CHECK_THAT(count.message, Catch::Contains("selector functions"));
    auto virt = RawClient::expect_error(client.query("SELECT * FROM system_virtual_schema.keyspaces"));
    CHECK(virt.code == wire::error_codes::invalid);
    auto legacy = RawClient::expect_error(client.query("SELECT * FROM system.schema_keyspaces"));
    CHECK(legacy.code == wire::error_codes::invalid);
    CHECK(legacy.message == "unconfigured table schema_keyspaces");
    auto write = RawClient::expect_error(client.query("INSERT INTO system.local (key) VALUES ('x')"));
    CHECK(write.code == wire::error_codes::unauthorized);
    auto column = RawClient::expect_error(client.query("SELECT nope FROM system.local"));
    CHECK(column.message == "Undefined column name nope");
    auto values = RawClient::expect_error(client.query("SELECT * FROM system.peers WHERE peer = ?"));
    CHECK(values.code == wire::error_codes::invalid);
    CHECK_FALSE(client.closed());
}
