// The session-affinity proxy in front of dc1 (n1..n3): connections without a session key
// spread by least connections; a session key — in a request's custom payload or as a
// STARTUP option — pins traffic to the node consistent hashing picks; prepared
// statements and the keyspace follow the connection to every node; when a node leaves,
// only its keys move, and they come back with it.
#include <catch2/catch.hpp>

#include "mock_cluster/proxy/sticky_proxy.hpp"
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

constexpr net::Endpoint proxy_at{net::ipv4(127, 0, 5, 1), 9042};

struct Proxied {
    World world;
    cluster::StickyProxy proxy;

    Proxied()
        : proxy(world.scheduler, world.network, config(world.cluster),
                [this](std::uint16_t node) { return world.cluster.node_state(node).up; }) {
        REQUIRE(proxy.listening());
        RawClient admin{world, 0};
        admin.startup();
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(
            admin.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(admin.query("CREATE TABLE ks.kv (k int PRIMARY KEY, v text)")));
    }
    static cluster::StickyProxyConfig config(const cluster::Cluster& c) {
        cluster::StickyProxyConfig config;
        config.at = proxy_at;
        for (std::uint16_t i = 0; i < 3; ++i) config.backends.push_back({i, c.topology().node(i).name, c.cql_endpoint(i)});
        return config;
    }
    std::unique_ptr<RawClient> client(std::optional<std::string> startup_key = std::nullopt) {
        auto c = std::make_unique<RawClient>(world, proxy_at);
        wire::Startup startup{{{"CQL_VERSION", "3.0.0"}}};
        if (startup_key) startup.options["session_id"] = *startup_key;
        REQUIRE(std::holds_alternative<wire::Ready>(c->request(startup)));
        return c;
    }
};

// The node that answered: system.local names itself.
std::string answered_by(RawClient& c, const wire::FrameExtras* extras = nullptr) {
    wire::Query q;
    q.query = "SELECT broadcast_address FROM system.local";
    const auto rows = RawClient::expect_rows(c.request(q, extras));
    const auto& bytes = rows.rows.at(0).at(column_index(rows, "broadcast_address"));
    REQUIRE(bytes);
    REQUIRE(bytes->size() == 4);
    return net::format_ipv4(net::ipv4((*bytes)[0], (*bytes)[1], (*bytes)[2], (*bytes)[3]));
}

wire::FrameExtras session_key(const std::string& key) {
    wire::FrameExtras extras;
    extras.custom_payload = wire::BytesMap{{"session_id", wire::Bytes(key.begin(), key.end())}};
    return extras;
}

std::string address_of(const cluster::Cluster& c, std::uint16_t node) { return net::format_ipv4(c.topology().node(node).ip); }

}  // namespace

TEST_CASE("sticky proxy: connections without a key go to the least-connected node") {
    Proxied p;
    std::vector<std::unique_ptr<RawClient>> clients;
    std::map<std::string, int> per_node;
    for (int i = 0; i < 6; ++i) {
        clients.push_back(p.client());
        ++per_node[answered_by(*clients.back())];
    }
    CHECK(per_node.size() == 3);
    for (const auto& [node, n] : per_node) CHECK(n == 2);
    for (std::uint16_t node = 0; node < 3; ++node) CHECK(p.proxy.connections_to(node) == 2);
    CHECK(p.proxy.stats().keyed_requests == 0);
}

TEST_CASE("sticky proxy: a request's session key picks its node, whatever connection it comes on") {
    Proxied p;
    auto a = p.client();
    auto b = p.client();
    for (int k = 0; k < 20; ++k) {
        const std::string key = "user-" + std::to_string(k);
        const auto extras = session_key(key);
        const auto expected = address_of(p.world.cluster, *p.proxy.node_for_key(key));
        CHECK(answered_by(*a, &extras) == expected);
        CHECK(answered_by(*b, &extras) == expected);
    }
    CHECK(p.proxy.stats().keyed_requests == 40);
    // A STARTUP option pins the whole connection.
    auto pinned = p.client(std::string("tenant-9"));
    const auto home = address_of(p.world.cluster, *p.proxy.node_for_key("tenant-9"));
    for (int i = 0; i < 3; ++i) CHECK(answered_by(*pinned) == home);
}

TEST_CASE("sticky proxy: prepared statements and the keyspace follow the connection to every node") {
    Proxied p;
    auto c = p.client();
    REQUIRE(std::holds_alternative<wire::Result>(c->query("USE ks")));
    const auto insert = c->prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
    std::set<std::uint16_t> nodes;
    for (int k = 0; k < 30; ++k) {
        const std::string key = "s" + std::to_string(k);
        nodes.insert(*p.proxy.node_for_key(key));
        const auto extras = session_key(key);
        wire::Execute e;
        e.id = insert.id;
        e.parameters.consistency = wire::Consistency::quorum;
        e.parameters.values = {wire::Value::of({0, 0, 0, static_cast<std::uint8_t>(k)}), wire::Value::of({'x'})};
        const auto r = c->request(e, &extras);
        if (const auto* err = std::get_if<wire::Error>(&r)) FAIL("EXECUTE through the proxy: " << err->message);
        wire::Query q;
        q.query = "SELECT v FROM kv WHERE k = " + std::to_string(k);   // unqualified: needs the keyspace
        CHECK(RawClient::expect_rows(c->request(q, &extras)).rows.size() == 1);
    }
    CHECK(nodes.size() == 3);   // the keys spread over every node, each of which had to know the statement
}

TEST_CASE("sticky proxy: when a node leaves only its keys move, to the others; they return with it") {
    Proxied p;
    constexpr int keys = 3000;
    std::vector<std::uint16_t> before(keys);
    std::map<std::uint16_t, int> share;
    for (int k = 0; k < keys; ++k) ++share[before[static_cast<std::size_t>(k)] = *p.proxy.node_for_key("k" + std::to_string(k))];
    for (const auto& [node, n] : share) CHECK(n > keys / 5);   // roughly even
    p.world.cluster.stop_node(1);
    int moved = 0, wrongly_moved = 0;
    for (int k = 0; k < keys; ++k) {
        const auto now = *p.proxy.node_for_key("k" + std::to_string(k));
        CHECK(now != 1);
        if (now != before[static_cast<std::size_t>(k)]) {
            ++moved;
            if (before[static_cast<std::size_t>(k)] != 1) ++wrongly_moved;
        }
    }
    CHECK(wrongly_moved == 0);
    CHECK(moved == share[1]);
    const double fraction = static_cast<double>(moved) / keys;
    CHECK(fraction > 0.2);
    CHECK(fraction < 0.47);   // about 1/3
    p.world.cluster.start_node(1);
    for (int k = 0; k < keys; ++k) CHECK(*p.proxy.node_for_key("k" + std::to_string(k)) == before[static_cast<std::size_t>(k)]);
    // New connections avoid a node that is down.
    p.world.cluster.stop_node(2);
    for (int i = 0; i < 4; ++i) {
        auto c = p.client();
        CHECK(answered_by(*c) != address_of(p.world.cluster, 2));
    }
}
