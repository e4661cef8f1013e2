// Schema changes and pushed events, end to end over the simulated network: DDL answers
// RESULT Schema_change (or AlreadyExists / Void with IF [NOT] EXISTS), bumps a schema
// version that every node reports identically, and pushes SCHEMA_CHANGE to REGISTERed
// connections on every live node; stop_node/start_node push STATUS_CHANGE from the other
// nodes; client-route updates push CLIENT_ROUTES_CHANGE.
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

wire::SchemaChange expect_schema_change(const wire::Response& r) {
    if (auto* e = std::get_if<wire::Error>(&r)) FAIL("expected Schema_change, got error " << e->code << ": " << e->message);
    const auto& result = std::get<wire::Result>(r);
    REQUIRE(std::holds_alternative<wire::SchemaChangeResult>(result));
    return std::get<wire::SchemaChangeResult>(result).change;
}

bool is_void(const wire::Response& r) {
    const auto* result = std::get_if<wire::Result>(&r);
    return result != nullptr && std::holds_alternative<wire::VoidResult>(*result);
}

void register_for(RawClient& client, std::vector<std::string> types) {
    auto r = client.request(wire::Register{std::move(types)});
    REQUIRE(std::holds_alternative<wire::Ready>(r));
}

wire::Uuid schema_version_of(RawClient& client) {
    const auto rows = client.rows("SELECT schema_version FROM system.local WHERE key='local'");
    return std::get<wire::Uuid>(cell(rows, 0, "schema_version").data);
}

wire::Bytes int32_bytes(std::int32_t v) {
    wire::Bytes out;
    wire::ByteWriter(out).i32(v);
    return out;
}
wire::Bytes int64_bytes(std::int64_t v) {
    wire::Bytes out;
    wire::ByteWriter(out).i64(v);
    return out;
}

}  // namespace

TEST_CASE("CREATE KEYSPACE / TABLE, data round trip, DROP TABLE / KEYSPACE with SCHEMA_CHANGE events") {
    World world;
    RawClient watcher0(world, 0);
    watcher0.startup();
    register_for(watcher0, {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"});
    RawClient watcher2(world, 2);
    watcher2.startup();
    register_for(watcher2, {"SCHEMA_CHANGE"});
    RawClient quiet(world, 3);   // not registered: gets nothing
    quiet.startup();
    RawClient client(world, 1);
    client.startup();
    const wire::Uuid version0 = schema_version_of(client);

    // CREATE KEYSPACE
    auto created = expect_schema_change(client.query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': '1'} AND durable_writes = true"));
    CHECK(created == wire::SchemaChange{"CREATED", "KEYSPACE", "ks", "", {}});
    for (RawClient* w : {&watcher0, &watcher2}) {
        REQUIRE(w->events().size() == 1);
        CHECK(std::get<wire::SchemaChange>(w->events()[0].change) == created);
    }
    CHECK(quiet.events().empty());
    CHECK(client.events().empty());
    const wire::Uuid version1 = schema_version_of(client);
    CHECK(version1 != version0);
    // Schema agreement: every node and every peers row report the same version.
    CHECK(schema_version_of(watcher2) == version1);
    const auto peers = client.rows("SELECT schema_version FROM system.peers");
    for (std::size_t i = 0; i < peers.rows.size(); ++i) CHECK(std::get<wire::Uuid>(cell(peers, i, "schema_version").data) == version1);
    const auto ks = client.rows("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'ks'");
    REQUIRE(ks.rows.size() == 1);
    CHECK(world.cluster.schema().keyspace("ks")->strategy.factor_per_dc == std::map<std::string, int>{{"dc1", 3}, {"dc2", 1}});

    // Existing keyspace: AlreadyExists, or Void with IF NOT EXISTS; no event, no version change.
    auto exists = RawClient::expect_error(client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
    CHECK(exists.code == wire::error_codes::already_exists);
    CHECK(std::get<wire::error_detail::AlreadyExists>(exists.detail) == wire::error_detail::AlreadyExists{"ks", ""});
    CHECK(is_void(client.query("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")));
    CHECK(watcher0.events().size() == 1);
    CHECK(schema_version_of(client) == version1);

    // CREATE TABLE with a composite partition key, a clustering column and ignored options.
    client.query("USE ks");
    auto table = expect_schema_change(client.query(
        "CREATE TABLE IF NOT EXISTS readings (sensor int, day text, at bigint, value blob, PRIMARY KEY ((sensor, day), at)) "
        "WITH CLUSTERING ORDER BY (at DESC) AND comment = 'x' AND compaction = {'class': 'LeveledCompactionStrategy'}"));
    CHECK(table == wire::SchemaChange{"CREATED", "TABLE", "ks", "readings", {}});
    REQUIRE(watcher2.events().size() == 2);
    CHECK(std::get<wire::SchemaChange>(watcher2.events()[1].change) == table);
    auto table_exists = RawClient::expect_error(client.query("CREATE TABLE ks.readings (k int PRIMARY KEY)"));
    CHECK(table_exists.code == wire::error_codes::already_exists);
    CHECK(std::get<wire::error_detail::AlreadyExists>(table_exists.detail) == wire::error_detail::AlreadyExists{"ks", "readings"});
    const auto columns = client.rows("SELECT column_name, kind, position, clustering_order FROM system_schema.columns "
                                     "WHERE keyspace_name = 'ks' AND table_name = 'readings'");
    REQUIRE(columns.rows.size() == 4);
    CHECK(text(columns, 0, "column_name") == "at");
    CHECK(text(columns, 0, "clustering_order") == "desc");

    // The new table serves reads and writes through the coordinator; pk_indexes follow
    // the partition key order.
    const auto insert = client.prepare("INSERT INTO readings (day, sensor, at, value) VALUES (?, ?, ?, ?)");
    CHECK(insert.metadata.pk_indexes == std::vector<std::uint16_t>{1, 0});
    auto written = client.execute(insert.id, {text_value("mon"), wire::Value::of(int32_bytes(7)), wire::Value::of(int64_bytes(42)),
                                              wire::Value::of({0xca, 0xfe})});
    REQUIRE(std::holds_alternative<wire::Result>(written));
    const auto select = client.prepare("SELECT at, value FROM readings WHERE sensor = ? AND day = ? AND at = ?");
    auto found = RawClient::expect_rows(client.execute(select.id, {wire::Value::of(int32_bytes(7)), text_value("mon"),
                                                                   wire::Value::of(int64_bytes(42))}));
    REQUIRE(found.rows.size() == 1);
    CHECK(std::get<wire::Bytes>(cell(found, 0, "value").data) == wire::Bytes{0xca, 0xfe});
    auto other_row = RawClient::expect_rows(client.execute(select.id, {wire::Value::of(int32_bytes(7)), text_value("mon"),
                                                                       wire::Value::of(int64_bytes(43))}));
    CHECK(other_row.rows.empty());

    // DROP TABLE: event, prepared statements on it become Unprepared, queries fail.
    auto dropped = expect_schema_change(client.query("DROP TABLE readings"));
    CHECK(dropped == wire::SchemaChange{"DROPPED", "TABLE", "ks", "readings", {}});
    REQUIRE(watcher0.events().size() == 3);
    CHECK(std::get<wire::SchemaChange>(watcher0.events()[2].change) == dropped);
    auto unprepared = RawClient::expect_error(client.execute(select.id, {}));
    CHECK(unprepared.code == wire::error_codes::unprepared);
    CHECK(RawClient::expect_error(client.query("SELECT * FROM readings WHERE sensor = 1 AND day = 'x'")).message == "unconfigured table readings");
    CHECK(RawClient::expect_error(client.query("DROP TABLE readings")).code == wire::error_codes::config_error);
    CHECK(is_void(client.query("DROP TABLE IF EXISTS readings")));
    // Re-created under the same name, it starts empty.
    expect_schema_change(client.query("CREATE TABLE readings (sensor int, day text, at bigint, value blob, PRIMARY KEY ((sensor, day), at))"));
    const auto again = client.prepare("SELECT at, value FROM readings WHERE sensor = ? AND day = ? AND at = ?");
    CHECK(again.id == select.id);
    CHECK(RawClient::expect_rows(client.execute(again.id, {wire::Value::of(int32_bytes(7)), text_value("mon"),
                                                           wire::Value::of(int64_bytes(42))}))
              .rows.empty());

    // DROP KEYSPACE
    auto ks_dropped = expect_schema_change(client.query("DROP KEYSPACE ks"));
    CHECK(ks_dropped == wire::SchemaChange{"DROPPED", "KEYSPACE", "ks", "", {}});
    CHECK(std::get<wire::SchemaChange>(watcher2.events().back().change) == ks_dropped);
    CHECK(client.rows("SELECT * FROM system_schema.keyspaces WHERE keyspace_name = 'ks'").rows.empty());
    CHECK(client.rows("SELECT * FROM system_schema.tables WHERE keyspace_name = 'ks'").rows.empty());
    CHECK(RawClient::expect_error(client.query("DROP KEYSPACE ks")).code == wire::error_codes::config_error);
    CHECK(is_void(client.query("DROP KEYSPACE IF EXISTS ks")));
    CHECK(quiet.events().empty());
}

TEST_CASE("DDL errors: bad replication, unknown DC, system keyspaces, unknown types") {
    World world;
    RawClient client(world, 0);
    client.startup();
    auto code = [&](const std::string& q) { return RawClient::expect_error(client.query(q)).code; };
    CHECK(code("CREATE KEYSPACE a WITH replication = {'replication_factor': 1}") == wire::error_codes::config_error);
    CHECK(code("CREATE KEYSPACE a WITH replication = {'class': 'SimpleStrategy'}") == wire::error_codes::config_error);
    CHECK(code("CREATE KEYSPACE a WITH replication = {'class': 'NetworkTopologyStrategy', 'dc9': 3}") == wire::error_codes::config_error);
    CHECK(code("CREATE KEYSPACE a WITH replication = {'class': 'LocalStrategy'}") == wire::error_codes::config_error);
    CHECK(code("CREATE KEYSPACE system WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}") ==
          wire::error_codes::unauthorized);
    CHECK(code("DROP TABLE system.local") == wire::error_codes::unauthorized);
    CHECK(code("CREATE TABLE nowhere.t (k int PRIMARY KEY)") == wire::error_codes::invalid);
    CHECK(code("CREATE TABLE t (k int PRIMARY KEY)") == wire::error_codes::invalid);   // no keyspace in use
    // Full class name and the every-DC replication_factor shorthand.
    expect_schema_change(client.query(
        "CREATE KEYSPACE a WITH replication = {'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'replication_factor': 2}"));
    CHECK(world.cluster.schema().keyspace("a")->strategy.factor_per_dc == std::map<std::string, int>{{"dc1", 2}, {"dc2", 2}});
    auto udt = RawClient::expect_error(client.query("CREATE TABLE a.t (k int PRIMARY KEY, v frozen<address>)"));
    CHECK(udt.code == wire::error_codes::invalid);
    CHECK_THAT(udt.message, Catch::Contains("Unknown type"));
    auto missing = RawClient::expect_error(client.query("CREATE TABLE a.t (k int, v int, PRIMARY KEY (x))"));
    CHECK_THAT(missing.message, Catch::Contains("Unknown definition x"));
    auto alter = RawClient::expect_error(client.query("ALTER TABLE a.t ADD w int"));
    CHECK(alter.code == wire::error_codes::syntax_error);
    CHECK_THAT(alter.message, Catch::Contains("ALTER is not served"));
    auto index = RawClient::expect_error(client.query("CREATE INDEX ON a.t (v)"));
    CHECK_THAT(index.message, Catch::Contains("CREATE INDEX is not served"));
    CHECK_FALSE(client.closed());
}

TEST_CASE("schema versions are deterministic: the same DDL gives the same versions in another world") {
    auto run = [] {
        World world;
        RawClient client(world, 0);
        client.startup();
        std::vector<wire::Uuid> versions{schema_version_of(client)};
        client.query("CREATE KEYSPACE k1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        versions.push_back(schema_version_of(client));
        client.query("CREATE TABLE k1.t (k int PRIMARY KEY, v text)");
        versions.push_back(schema_version_of(client));
        return versions;
    };
    const auto a = run();
    CHECK(a == run());
    CHECK(a[0] != a[1]);
    CHECK(a[1] != a[2]);
}

TEST_CASE("REGISTER with an unknown event type is a protocol error; the connection stays usable") {
    World world;
    RawClient client(world, 0);
    client.startup();
    auto e = RawClient::expect_error(client.request(wire::Register{{"SCHEMA_CHANGE", "NODE_EXPLODED"}}));
    CHECK(e.code == wire::error_codes::protocol_error);
    CHECK(e.message == "Invalid value 'NODE_EXPLODED' for Event.Type");
    CHECK_FALSE(client.closed());
    CHECK(client.rows("SELECT key FROM system.local").rows.size() == 1);
    register_for(client, {"CLIENT_ROUTES_CHANGE"});
}

TEST_CASE("stop_node / start_node push STATUS_CHANGE DOWN / UP from the other live nodes") {
    World world;
    RawClient on0(world, 0);
    on0.startup();
    register_for(on0, {"STATUS_CHANGE"});
    RawClient on2(world, 2);
    on2.startup();
    register_for(on2, {"TOPOLOGY_CHANGE", "STATUS_CHANGE"});
    RawClient schema_only(world, 3);
    schema_only.startup();
    register_for(schema_only, {"SCHEMA_CHANGE"});
    RawClient on1(world, 1);
    on1.startup();
    register_for(on1, {"STATUS_CHANGE"});

    world.cluster.stop_node(1);
    world.scheduler.run();
    const wire::Inet node1{wire::InetAddress::v4(127, 0, 0, 2), 9042};
    for (RawClient* c : {&on0, &on2}) {
        REQUIRE(c->events().size() == 1);
        CHECK(std::get<wire::StatusChange>(c->events()[0].change) == wire::StatusChange{"DOWN", node1});
    }
    CHECK(schema_only.events().empty());
    CHECK(on1.closed());          // the stopped node reset its connections
    CHECK(on1.events().empty());

    world.cluster.start_node(1);
    world.scheduler.run();
    for (RawClient* c : {&on0, &on2}) {
        REQUIRE(c->events().size() == 2);
        CHECK(std::get<wire::StatusChange>(c->events()[1].change) == wire::StatusChange{"UP", node1});
    }
    // Stopping two nodes: the second DOWN comes only from nodes still up.
    world.cluster.stop_node(2);
    world.cluster.stop_node(3);
    world.scheduler.run();
    REQUIRE(on0.events().size() == 4);
    CHECK(std::get<wire::StatusChange>(on0.events()[2].change).node.address == wire::InetAddress::v4(127, 0, 0, 3));
    CHECK(std::get<wire::StatusChange>(on0.events()[3].change).node.address == wire::InetAddress::v4(127, 0, 0, 4));
}

TEST_CASE("client route changes push CLIENT_ROUTES_CHANGE with parallel connection and host id lists") {
    World world;
    RawClient client(world, 0);
    client.startup();
    register_for(client, {"CLIENT_ROUTES_CHANGE"});
    RawClient other(world, 1);
    other.startup();
    register_for(other, {"SCHEMA_CHANGE", "STATUS_CHANGE"});
    const auto& nodes = world.cluster.topology().nodes();
    world.cluster.upsert_client_routes({{"c1", nodes[0].host_id, "proxy", 9042, {}, {}, {}},
                                        {"c1", nodes[1].host_id, "proxy", 9043, {}, {}, {}}});
    world.cluster.remove_client_routes({{"c1", nodes[1].host_id}});
    world.scheduler.run();
    REQUIRE(client.events().size() == 2);
    const auto& first = std::get<wire::ClientRoutesChange>(client.events()[0].change);
    CHECK(first.change == "UPDATE_NODES");
    CHECK(first.connection_ids == std::vector<std::string>{"c1", "c1"});
    CHECK(first.host_ids == std::vector<std::string>{cluster::format_uuid(nodes[0].host_id), cluster::format_uuid(nodes[1].host_id)});
    const auto& second = std::get<wire::ClientRoutesChange>(client.events()[1].change);
    CHECK(second.host_ids == std::vector<std::string>{cluster::format_uuid(nodes[1].host_id)});
    CHECK(other.events().empty());
}
