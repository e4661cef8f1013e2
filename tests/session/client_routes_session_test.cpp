// A session configured with client routes against a simulated cluster: it connects to a
// node only at the endpoint system.client_routes lists for its connection ids, follows
// routes added, moved and removed at runtime through CLIENT_ROUTES_CHANGE (without a full
// metadata refresh), and never falls back to a node's own address.
#include <catch2/catch.hpp>

#include "driver/policy/default_policy.hpp"
#include "driver/protocol/murmur3.hpp"
#include "driver/protocol/sharding.hpp"
#include "tests/support/cql_bytes.hpp"
#include <algorithm>
#include "driver/policy/round_robin.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"

using namespace routelab;
using namespace routelab::sim::literals;

namespace {

struct RoutedWorld {
    sim::SimScheduler scheduler;
    sim::Rng rng{11};
    sim::Trace trace;
    net::SimNetwork network{scheduler, rng.stream("net"), trace, net::LinkModel(net::LinkLatencies{})};
    cluster::Cluster cluster;
    std::unique_ptr<driver::Session> session;

    static cluster::ClusterConfig config(bool private_link, int shards) {
        cluster::ClusterConfig c;
        c.nodes = {{"a", "dc1", "r1", {}}, {"b", "dc1", "r2", {}}, {"c", "dc1", "r3", {}}};
        c.vnodes = 4;
        c.private_link = private_link;
        c.shards = shards;
        return c;
    }

    explicit RoutedWorld(bool private_link = false, int shards = 1)
        : cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, config(private_link, shards), cluster::ServiceConfig{}) {
        cluster.start();
    }

    cluster::ClientRoute route(std::size_t node, std::uint32_t ip, std::uint16_t port = 9042, std::string id = "vpc-1") {
        cluster::ClientRoute r;
        r.connection_id = std::move(id);
        r.host_id = cluster.topology().node(node).host_id;
        r.address = net::format_ipv4(ip);
        r.port = port;
        return r;
    }

    bool connect(bool tls = false, net::Endpoint contact = {cluster::node_address(0), 9042},
                 std::unique_ptr<driver::LoadBalancingPolicy> policy = std::make_unique<driver::RoundRobinPolicy>()) {
        driver::SessionConfig s;
        s.contact_points.push_back(contact);
        s.policy = std::move(policy);
        s.client_routes = driver::ClientRoutesConfig{{{"vpc-1", std::nullopt}}, false};
        s.tls = tls;
        session = std::make_unique<driver::Session>(
            driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)}, std::move(s));
        std::optional<bool> connected;
        session->connect([&](bool ok) { connected = ok; });
        run(200_ms);
        REQUIRE(connected);
        return *connected;
    }

    void run(sim::Duration d) { scheduler.run_until(scheduler.now() + d); }

    // The session's belief about the cluster node with this index (matched by host id).
    const driver::NodeInfo& believed(std::size_t node) const {
        const std::string host = cluster::format_uuid(cluster.topology().node(node).host_id);
        for (const auto& n : session->cluster().nodes)
            if (n.host_id == host) return n;
        FAIL("node " << node << " not discovered");
        throw std::logic_error("unreachable");
    }
    driver::NodeIndex index_of(std::size_t node) const { return believed(node).index; }
};

}  // namespace

TEST_CASE("client routes: nodes are reached only through their routes, which are followed at runtime") {
    RoutedWorld w;
    // Routes for a and b (at their own addresses: the endpoint a proxy would forward to);
    // none for c.
    w.cluster.upsert_client_routes({w.route(0, cluster::node_address(0)), w.route(1, cluster::node_address(1))});
    REQUIRE(w.connect());
    CHECK(w.believed(0).up);
    CHECK(w.believed(1).up);

    SECTION("a node without a route is not connected, with an error naming it") {
        CHECK_FALSE(w.believed(2).up);
        CHECK(w.session->unroutable_nodes() == 1);
        CHECK_THAT(w.session->last_error(), Catch::Contains("no client route for host"));
        // It stays so: no fallback to its own (reachable) address, however long we wait.
        w.run(30_s);
        CHECK_FALSE(w.believed(2).up);

        AND_THEN("a route added at runtime connects it, without a full metadata refresh") {
            const auto refreshes = w.session->metadata_refreshes();
            w.cluster.upsert_client_routes({w.route(2, cluster::node_address(2))});
            w.run(100_ms);
            CHECK(w.believed(2).up);
            CHECK(w.session->unroutable_nodes() == 0);
            CHECK(w.session->metadata_refreshes() == refreshes);
        }
    }
    SECTION("a moved route is followed: to a dead endpoint the node goes down, back again it comes up") {
        // The cluster serves a proxy for every route; this one is cut off from the client.
        const net::Endpoint nowhere{net::ipv4(127, 0, 9, 9), 9042};
        w.network.partition(net::ipv4(127, 1, 0, 1), nowhere.ip);
        w.cluster.upsert_client_routes({w.route(0, nowhere.ip)});
        w.run(1_s);
        auto route = w.session->route_of(w.index_of(0));
        REQUIRE(route.endpoint);
        CHECK(*route.endpoint == nowhere);
        CHECK_FALSE(w.believed(0).up);   // the proxy endpoint does not answer; no fallback
        w.cluster.upsert_client_routes({w.route(0, cluster::node_address(0))});
        w.run(1_s);
        CHECK(w.believed(0).up);
    }
    SECTION("a removed route takes the node out of reach") {
        w.cluster.remove_client_routes({{"vpc-1", w.cluster.topology().node(1).host_id}});
        w.run(30_s);
        CHECK_FALSE(w.believed(1).up);
        CHECK(w.session->unroutable_nodes() == 2);
    }
    SECTION("routes of other connection ids are ignored") {
        w.cluster.upsert_client_routes({w.route(2, cluster::node_address(2), 9042, "someone-else")});
        w.run(1_s);
        CHECK_FALSE(w.believed(2).up);
    }
}

TEST_CASE("client routes with TLS are refused with a clear error") {
    RoutedWorld w;
    w.cluster.upsert_client_routes({w.route(0, cluster::node_address(0))});
    CHECK_FALSE(w.connect(/*tls=*/true));
    CHECK_THAT(w.session->last_error(), Catch::Contains("TLS is not supported with client routes"));
}

TEST_CASE("PrivateLink: clients reach nodes only through the proxy endpoints; a moved route moves the connections") {
    RoutedWorld w(true);
    const std::uint32_t proxy_ip = net::ipv4(127, 0, 2, 1);
    w.cluster.upsert_client_routes({w.route(0, proxy_ip, 9100), w.route(1, proxy_ip, 9101), w.route(2, proxy_ip, 9102)});
    CHECK(w.cluster.proxy_endpoints().size() == 3);

    // A client connecting to a node's own address is turned away.
    std::optional<net::CloseReason> direct;
    net::StreamPtr stream;
    w.network.connect({net::ipv4(127, 1, 0, 1), 0}, w.cluster.cql_endpoint(0), [&](net::StreamPtr s, net::CloseReason) {
        stream = std::move(s);
        if (stream) stream->on_close([&](net::CloseReason why) { direct = why; });
    });
    w.run(10_ms);
    CHECK(direct.has_value());

    // The driver, given the first proxy as contact point, does everything through proxies.
    REQUIRE(w.connect(false, {proxy_ip, 9100}));
    driver::PreparedPtr write;
    w.session->prepare("SELECT cluster_name FROM system.local", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
    w.run(200_ms);
    REQUIRE(write);
    auto run_requests = [&](int n) {
        int ok = 0;
        for (int i = 0; i < n; ++i)
            w.session->execute(write, {}, cql::Consistency::one, [&ok](const driver::RequestResult& r) {
                if (r.outcome == driver::RequestOutcome::ok) ++ok;
            });
        w.run(500_ms);
        return ok;
    };
    CHECK(run_requests(30) == 30);
    for (int port : {9100, 9101, 9102}) CHECK(w.cluster.proxied_connections({proxy_ip, static_cast<std::uint16_t>(port)}) > 0);
    CHECK(w.session->unroutable_nodes() == 0);

    // Node b's route moves to a new port: the old proxy goes away with its connections and
    // the driver's pool follows the route.
    w.cluster.upsert_client_routes({w.route(1, proxy_ip, 9201)});
    w.run(2_s);
    CHECK(w.cluster.proxied_connections({proxy_ip, 9101}) == 0);
    CHECK(w.cluster.proxied_connections({proxy_ip, 9201}) > 0);
    CHECK(run_requests(30) == 30);
    const auto routed = w.session->route_of(w.index_of(1));
    CHECK(routed.endpoint == std::optional<net::Endpoint>(net::Endpoint{proxy_ip, 9201}));
}

TEST_CASE("through client routes advanced shard awareness is off, yet token-aware requests still go to their shard's connection") {
    RoutedWorld w(true, 4);   // PrivateLink: a connection to a node's shard-aware port would be turned away
    w.cluster.create_keyspace("ks", cluster::ReplicationStrategy::simple(3));
    cluster::TableDef t;
    t.keyspace = "ks";
    t.name = "kv";
    t.columns = {{"k", cql::ColumnType::of(cql::TypeId::bigint)}, {"v", cql::ColumnType::of(cql::TypeId::blob)}};
    w.cluster.create_table(t);
    const std::uint32_t proxy_ip = net::ipv4(127, 0, 2, 1);
    w.cluster.upsert_client_routes({w.route(0, proxy_ip, 9100), w.route(1, proxy_ip, 9101), w.route(2, proxy_ip, 9102)});
    REQUIRE(w.connect(false, {proxy_ip, 9100},
                      std::make_unique<driver::DefaultPolicy>(driver::DefaultPolicyConfig{}, sim::Rng(4).stream("policy"))));
    w.run(1_s);   // the pools grow to one connection per shard, through the proxies
    for (std::size_t node = 0; node < 3; ++node) {
        auto shards = w.session->connection_shards(w.index_of(node));
        std::sort(shards.begin(), shards.end());
        CHECK(shards == std::vector<unsigned>{0, 1, 2, 3});   // the node's round robin gave every shard
    }
    driver::PreparedPtr write;
    w.session->prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
    w.run(200_ms);
    REQUIRE(write);
    int on_shard = 0;
    for (std::int64_t k = 0; k < 40; ++k) {
        const auto key = test::bigint(k);
        const auto expected = cql::shard_of(cql::murmur3_token(key), 4, 12);
        w.session->execute(write, std::vector<cql::Value>{cql::Value::of(key), cql::Value::of({1})}, cql::Consistency::one,
                           [&](const driver::RequestResult& r) {
                               REQUIRE(r.outcome == driver::RequestOutcome::ok);
                               if (r.history.front().shard == std::optional<std::uint16_t>(static_cast<std::uint16_t>(expected))) ++on_shard;
                           });
        w.run(20_ms);
    }
    CHECK(on_shard == 40);
}
