// Ring membership and gossip timing, end to end over the simulated network:
// decommission_node / join_node push TOPOLOGY_CHANGE REMOVED_NODE / NEW_NODE with the
// node's native address, move the node out of / into system.peers, the token ring and
// every keyspace's placement; a node declared outside the ring (NodeConfig::joined =
// false) serves nothing until it joins; with ClusterConfig::status_delay the STATUS_CHANGE
// DOWN of a stopped node goes out that much later (and not at all if it is back first).
#include "tests/cluster/cql_fixture.hpp"
#include "tests/support/cql_bytes.hpp"

#include <algorithm>

using namespace routelab;
using namespace routelab::test;
using namespace routelab::sim::literals;

namespace {

void register_for(RawClient& client, std::vector<std::string> types) {
    auto r = client.request(wire::Register{std::move(types)});
    REQUIRE(std::holds_alternative<wire::Ready>(r));
}

wire::Inet native_of(int last_octet) { return wire::Inet{wire::InetAddress::v4(127, 0, 0, static_cast<std::uint8_t>(last_octet)), 9042}; }

// The peer addresses a node lists in system.peers (last octets, sorted).
std::vector<int> peers_of(RawClient& client) {
    const auto rows = client.rows("SELECT peer, rpc_address FROM system.peers");
    std::vector<int> out;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        const auto peer = std::get<wire::InetAddress>(cell(rows, i, "peer").data);
        CHECK(std::get<wire::InetAddress>(cell(rows, i, "rpc_address").data) == peer);
        out.push_back(peer.bytes[3]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::uint16_t> replicas(const cluster::Cluster& c, const std::string& keyspace, std::int64_t token) {
    const auto span = c.schema().keyspace(keyspace)->replicas.replicas_for(token);
    return {span.begin(), span.end()};
}


wire::Response at_quorum(RawClient& client, const std::string& text, std::vector<wire::Value> values) {
    wire::Query q;
    q.query = text;
    q.parameters.values = std::move(values);
    q.parameters.consistency = wire::Consistency::quorum;
    return client.request(q);
}

bool is_void(const wire::Response& r) {
    const auto* result = std::get_if<wire::Result>(&r);
    return result != nullptr && std::holds_alternative<wire::VoidResult>(*result);
}

std::optional<std::string> read_quorum(RawClient& client, std::int64_t key) {
    const auto rows = RawClient::expect_rows(at_quorum(client, "SELECT v FROM ks.kv WHERE k = ?", {wire::Value::of(bigint(key))}));
    if (rows.rows.empty()) return std::nullopt;
    return text(rows, 0, "v");
}

void write_quorum(RawClient& client, std::int64_t key, const std::string& value) {
    const auto r = at_quorum(client, "INSERT INTO ks.kv (k, v) VALUES (?, ?)",
                             {wire::Value::of(bigint(key)), wire::Value::of(wire::Bytes(value.begin(), value.end()))});
    if (const auto* e = std::get_if<wire::Error>(&r)) FAIL("write failed: " << e->code << ": " << e->message);
    CHECK(is_void(r));
}

// Runs the world until `client` has `count` events (or nothing is left to run).
void run_until_events(World& world, RawClient& client, std::size_t count) {
    while (client.events().size() < count && world.scheduler.step()) {
    }
}

}  // namespace

TEST_CASE("decommission and join: TOPOLOGY_CHANGE events, system.peers, ring and placement follow") {
    World world;   // n1..n3 in dc1 (127.0.0.1..3), n4 in dc2 (127.0.0.4), two tokens each
    world.cluster.create_keyspace("simple", cluster::ReplicationStrategy::simple(2));
    world.cluster.create_keyspace("nts", cluster::ReplicationStrategy::network_topology({{"dc1", 3}, {"dc2", 1}}));
    RawClient watcher(world, 0);
    watcher.startup();
    register_for(watcher, {"TOPOLOGY_CHANGE", "STATUS_CHANGE"});
    RawClient schema_only(world, 3);
    schema_only.startup();
    register_for(schema_only, {"SCHEMA_CHANGE"});
    RawClient reader(world, 1);
    reader.startup();
    RawClient on_n3(world, 2);
    on_n3.startup();

    CHECK(peers_of(reader) == std::vector<int>{1, 3, 4});
    CHECK(world.cluster.ring().size() == 8);
    // Ring: -9000 n4, -6000 n1, -3000 n2, 0 n3, 1500 n4, 3000 n1, 6000 n2, 9000 n3.
    CHECK(replicas(world.cluster, "simple", -1) == std::vector<std::uint16_t>{2, 3});
    CHECK(replicas(world.cluster, "nts", -1) == std::vector<std::uint16_t>{2, 0, 1, 3});

    REQUIRE(world.cluster.decommission_node(2));
    world.scheduler.run();
    REQUIRE(watcher.events().size() == 1);
    CHECK(std::get<wire::TopologyChange>(watcher.events()[0].change) == wire::TopologyChange{"REMOVED_NODE", native_of(3)});
    CHECK(schema_only.events().empty());
    CHECK(on_n3.closed());   // the node stopped serving
    CHECK_FALSE(world.cluster.is_member(2));
    CHECK_FALSE(world.cluster.node_state(2).up);
    CHECK(world.cluster.ring().size() == 6);
    for (std::size_t p = 0; p < world.cluster.ring().size(); ++p) CHECK(world.cluster.ring().owner_at(p) != 2);
    // Token 0 (n3's) now belongs to 1500 (n4), then 3000 (n1).
    CHECK(replicas(world.cluster, "simple", -1) == std::vector<std::uint16_t>{3, 0});
    CHECK(replicas(world.cluster, "nts", -1) == std::vector<std::uint16_t>{0, 1, 3});
    CHECK(peers_of(reader) == std::vector<int>{1, 4});
    CHECK(peers_of(watcher) == std::vector<int>{2, 4});
    // Already out: nothing happens; a stopped node outside the ring does not start.
    CHECK_FALSE(world.cluster.decommission_node(2));
    world.cluster.start_node(2);
    CHECK_FALSE(world.cluster.node_state(2).up);
    world.scheduler.run();
    CHECK(watcher.events().size() == 1);

    REQUIRE(world.cluster.join_node(2));
    world.scheduler.run();
    REQUIRE(watcher.events().size() == 2);
    CHECK(std::get<wire::TopologyChange>(watcher.events()[1].change) == wire::TopologyChange{"NEW_NODE", native_of(3)});
    CHECK(world.cluster.is_member(2));
    CHECK(world.cluster.node_state(2).up);
    CHECK(world.cluster.ring().size() == 8);
    CHECK(replicas(world.cluster, "simple", -1) == std::vector<std::uint16_t>{2, 3});
    CHECK(replicas(world.cluster, "nts", -1) == std::vector<std::uint16_t>{2, 0, 1, 3});
    CHECK(peers_of(reader) == std::vector<int>{1, 3, 4});
    RawClient back(world, 2);   // it serves again, with its old identity
    back.startup();
    const auto local = back.rows("SELECT host_id FROM system.local WHERE key='local'");
    CHECK(std::get<wire::Uuid>(cell(local, 0, "host_id").data) == world.cluster.topology().node(2).host_id);
    CHECK_FALSE(world.cluster.join_node(2));   // already in
}

TEST_CASE("the ring's last member cannot be decommissioned") {
    cluster::ClusterConfig config = four_nodes();
    config.nodes.resize(2);
    World world(config);
    CHECK(world.cluster.decommission_node(0));
    CHECK_FALSE(world.cluster.decommission_node(1));
    CHECK(world.cluster.is_member(1));
    CHECK(world.cluster.ring().size() == 2);
}

TEST_CASE("writes and reads at QUORUM keep working after a decommission") {
    World world;
    RawClient client(world, 0);
    client.startup();
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(
        client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query("CREATE TABLE ks.kv (k bigint PRIMARY KEY, v text)")));
    for (std::int64_t k = 0; k < 20; ++k) write_quorum(client, k, "before" + std::to_string(k));

    REQUIRE(world.cluster.decommission_node(2));
    world.scheduler.run();
    // RF 3 on three members: every member is a replica of every key.
    for (std::int64_t t : {-8000, -1, 0, 2000, 9500}) CHECK(replicas(world.cluster, "ks", t).size() == 3);
    write_quorum(client, 100, "after");
    CHECK(read_quorum(client, 100) == std::optional<std::string>("after"));
    // Nothing is streamed, but each old key still lives on at least two of the three
    // replicas, so a quorum read finds it.
    for (std::int64_t k = 0; k < 20; ++k) CHECK(read_quorum(client, k) == std::optional<std::string>("before" + std::to_string(k)));
    // One more node down: two of three replicas still make a quorum.
    world.cluster.stop_node(3);
    write_quorum(client, 101, "degraded");
    CHECK(read_quorum(client, 101) == std::optional<std::string>("degraded"));
}

TEST_CASE("a node declared outside the ring serves nothing until it joins") {
    cluster::ClusterConfig config = four_nodes();
    cluster::NodeConfig extra{"n5", "dc1", "r1", {-1000, 4500}};
    extra.joined = false;
    config.nodes.push_back(extra);
    World world(config);
    world.cluster.create_keyspace("simple", cluster::ReplicationStrategy::simple(1));
    RawClient watcher(world, 0);
    watcher.startup();
    register_for(watcher, {"TOPOLOGY_CHANGE", "STATUS_CHANGE"});

    CHECK_FALSE(world.cluster.is_member(4));
    CHECK_FALSE(world.cluster.node_state(4).up);
    CHECK(world.cluster.ring().size() == 8);
    CHECK(peers_of(watcher) == std::vector<int>{2, 3, 4});
    CHECK(replicas(world.cluster, "simple", -1500) == std::vector<std::uint16_t>{2});   // 0 (n3) owns it
    bool refused = false;
    world.network.connect(net::Endpoint{World::client_ip, 0}, world.cluster.cql_endpoint(4),
                          [&refused](net::StreamPtr stream, net::CloseReason) { refused = stream == nullptr; });
    world.scheduler.run();
    CHECK(refused);
    world.cluster.start_node(4);   // not a member: start does nothing
    CHECK_FALSE(world.cluster.node_state(4).up);

    REQUIRE(world.cluster.join_node(4));
    world.scheduler.run();
    REQUIRE(watcher.events().size() == 1);
    CHECK(std::get<wire::TopologyChange>(watcher.events()[0].change) == wire::TopologyChange{"NEW_NODE", native_of(5)});
    CHECK(world.cluster.ring().size() == 10);
    CHECK(replicas(world.cluster, "simple", -1500) == std::vector<std::uint16_t>{4});   // -1000 (n5) takes it
    CHECK(peers_of(watcher) == std::vector<int>{2, 3, 4, 5});
    RawClient joined(world, 4);
    joined.startup();
    CHECK(peers_of(joined) == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("status_delay: STATUS_CHANGE DOWN arrives that long after the stop") {
    cluster::ClusterConfig config = four_nodes();
    config.status_delay = sim::Duration::from_s(3);
    World world(config);
    RawClient watcher(world, 0);
    watcher.startup();
    register_for(watcher, {"TOPOLOGY_CHANGE", "STATUS_CHANGE"});

    SECTION("DOWN after the delay; coordinators see the node down at once; UP at once") {
        const sim::Time stopped_at = world.scheduler.now();
        world.cluster.stop_node(2);
        CHECK_FALSE(world.cluster.node_state(2).up);
        world.scheduler.run_until(stopped_at + sim::Duration::from_s(3) - 1_ns);
        CHECK(watcher.events().empty());
        run_until_events(world, watcher, 1);
        REQUIRE(watcher.events().size() == 1);
        CHECK(std::get<wire::StatusChange>(watcher.events()[0].change) == wire::StatusChange{"DOWN", native_of(3)});
        const sim::Duration took = world.scheduler.now() - stopped_at;
        CHECK(took >= sim::Duration::from_s(3));
        CHECK(took < sim::Duration::from_s(3) + sim::Duration::from_ms(1));   // + one network hop

        const sim::Time started_at = world.scheduler.now();
        world.cluster.start_node(2);
        run_until_events(world, watcher, 2);
        REQUIRE(watcher.events().size() == 2);
        CHECK(std::get<wire::StatusChange>(watcher.events()[1].change) == wire::StatusChange{"UP", native_of(3)});
        CHECK(world.scheduler.now() - started_at < sim::Duration::from_ms(1));
    }
    SECTION("back before the failure detector fired: no event at all") {
        world.cluster.stop_node(2);
        world.scheduler.run_until(world.scheduler.now() + sim::Duration::from_s(1));
        world.cluster.start_node(2);
        CHECK(world.cluster.node_state(2).up);
        world.scheduler.run();
        CHECK(watcher.events().empty());
        // A later stop starts a fresh delay.
        const sim::Time stopped_at = world.scheduler.now();
        world.cluster.stop_node(2);
        run_until_events(world, watcher, 1);
        REQUIRE(watcher.events().size() == 1);
        CHECK(world.scheduler.now() - stopped_at >= sim::Duration::from_s(3));
    }
    SECTION("decommissioned while its DOWN is pending: only REMOVED_NODE") {
        world.cluster.stop_node(2);
        REQUIRE(world.cluster.decommission_node(2));
        world.scheduler.run();
        REQUIRE(watcher.events().size() == 1);
        CHECK(std::get<wire::TopologyChange>(watcher.events()[0].change) == wire::TopologyChange{"REMOVED_NODE", native_of(3)});
    }
}
