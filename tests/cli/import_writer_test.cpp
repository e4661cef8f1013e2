// `routelab import` without a network: contact-point syntax, and snapshots of a cluster
// turned into scenario text that the scenario parser reads back with the same shape.
#include <catch2/catch.hpp>

#include "sim/import/cluster_reader.hpp"
#include "sim/import/scenario_writer.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

driver::DiscoveredNode node(std::uint32_t last_octet, std::string dc, std::string rack, std::vector<std::int64_t> tokens) {
    driver::DiscoveredNode n;
    n.host_id = "host-" + std::to_string(last_octet);
    n.address = net::Endpoint{net::ipv4(10, 0, 0, static_cast<std::uint8_t>(last_octet)), 9042};
    n.datacenter = std::move(dc);
    n.rack = std::move(rack);
    n.tokens = std::move(tokens);
    return n;
}

importer::ClusterSnapshot two_dc() {
    importer::ClusterSnapshot s;
    s.contact = "10.0.0.1:9042";
    s.peers_table = "system.peers";
    s.discovery.cluster_name = "prod";
    s.discovery.partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
    // Listed out of address order: the scenario orders nodes by address.
    s.discovery.nodes = {node(3, "east", "a", {300, -5}), node(1, "east", "a", {100}), node(2, "east", "b", {200}),
                         node(4, "west", "a", {400}), node(5, "west", "b", {500})};
    auto ks = [](std::string name, std::map<std::string, std::string> replication, std::vector<importer::TableInfo> tables) {
        return importer::KeyspaceInfo{driver::DiscoveredKeyspace{std::move(name), std::move(replication)}, std::move(tables)};
    };
    s.keyspaces = {ks("system", {{"class", "org.apache.cassandra.locator.LocalStrategy"}}, {}),
                   ks("app", {{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"}, {"east", "3"}, {"west", "1"}},
                      {{"users", 1, 0}, {"events", 1, 1}, {"zz_more", 1, 0}}),
                   ks("same", {{"class", "NetworkTopologyStrategy"}, {"east", "2"}, {"west", "2"}}, {}),
                   ks("simple", {{"class", "SimpleStrategy"}, {"replication_factor", "2"}}, {}),
                   ks("too_many", {{"class", "NetworkTopologyStrategy"}, {"west", "3"}}, {})};
    return s;
}

}  // namespace

TEST_CASE("import: contact points", "[import]") {
    std::string error;
    auto c = importer::parse_contact("10.1.2.3", error);
    REQUIRE(c);
    CHECK(c->host == "10.1.2.3");
    CHECK(c->port == 9042);
    c = importer::parse_contact("db.example:9142", error);
    REQUIRE(c);
    CHECK(c->host == "db.example");
    CHECK(c->port == 9142);
    c = importer::parse_contact("[::1]:19042", error);
    REQUIRE(c);
    CHECK(c->host == "::1");
    CHECK(c->port == 19042);
    for (const char* bad : {"", ":1", "h:0", "h:65536", "h:-1", "h:1x", "[::1", "[]:1", "[::1]x", "a b"}) {
        INFO(bad);
        error.clear();
        CHECK_FALSE(importer::parse_contact(bad, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("import: nodes, keyspaces and notes", "[import]") {
    const auto snapshot = two_dc();
    const auto written = importer::write_scenario(snapshot, {{}, "2026-01-01T00:00:00Z"});
    REQUIRE(written.error.empty());
    CHECK(written.toml.rfind("# Imported by `routelab import` from 10.0.0.1:9042 at 2026-01-01T00:00:00Z", 0) == 0);
    const auto parsed = scenario::parse_scenario_text(written.toml, "imported.toml");
    INFO(written.toml);
    REQUIRE(parsed);
    const auto& sc = parsed.scenario();
    REQUIRE(sc.topology.nodes.size() == 5);
    CHECK(sc.topology.nodes[0].name == "east-a-n1");   // 10.0.0.1
    CHECK(sc.topology.nodes[0].tokens == std::vector<std::int64_t>{100});
    CHECK(sc.topology.nodes[2].name == "east-a-n2");   // 10.0.0.3, tokens sorted
    CHECK(sc.topology.nodes[2].tokens == std::vector<std::int64_t>{-5, 300});
    CHECK(sc.topology.nodes[4].datacenter == "west");
    // system and too_many (3 replicas in a 2-node DC) are left out; the rest in cluster order.
    REQUIRE(sc.cluster.keyspaces.size() == 3);
    CHECK(sc.cluster.keyspaces[0].name == "app");
    CHECK(sc.cluster.keyspaces[0].table == "users");
    CHECK(sc.cluster.keyspaces[0].clustered_table == "events");
    CHECK(sc.cluster.keyspaces[1].name == "same");
    CHECK(sc.cluster.keyspaces[2].name == "simple");
    CHECK(written.toml.find("replication = { east = 3, west = 1 }") != std::string::npos);
    CHECK(written.toml.find("strategy = \"SimpleStrategy\"") != std::string::npos);
    CHECK(written.toml.find("# Note: keyspace too_many left out: 3 replicas in datacenter west, which has 2 nodes") != std::string::npos);
    CHECK(written.toml.find("table zz_more left out") != std::string::npos);
}

TEST_CASE("import: a keyspace asked for must exist and fit", "[import]") {
    const auto snapshot = two_dc();
    auto written = importer::write_scenario(snapshot, {{"nope"}, "t"});
    CHECK(written.toml.empty());
    CHECK(written.error == "no keyspace named \"nope\" in the cluster");
    written = importer::write_scenario(snapshot, {{"too_many"}, "t"});
    CHECK(written.toml.empty());
    CHECK(written.error.find("keyspace too_many cannot be written") == 0);
    written = importer::write_scenario(snapshot, {{"simple"}, "t"});
    REQUIRE(written.error.empty());
    const auto parsed = scenario::parse_scenario_text(written.toml, "imported.toml");
    REQUIRE(parsed);
    REQUIRE(parsed.scenario().cluster.keyspaces.size() == 1);
    CHECK(parsed.scenario().cluster.keyspaces[0].name == "simple");
}

TEST_CASE("import: client routes as proxies", "[import]") {
    auto snapshot = two_dc();
    auto route = [](std::string id, int host, std::string address, int port) {
        return driver::ClientRouteRow{std::move(id), "host-" + std::to_string(host), std::move(address), port, std::nullopt};
    };
    // vpc-1 steps by port along the nodes; vpc-2 does not step; vpc-3 is not on loopback.
    for (int h = 1; h <= 5; ++h) snapshot.routes.push_back(route("vpc-1", h, "127.0.2.1", 9100 + h - 1));
    snapshot.routes.push_back(route("vpc-2", 2, "127.0.3.1", 7000));
    snapshot.routes.push_back(route("vpc-2", 4, "127.0.3.9", 7001));
    snapshot.routes.push_back(route("vpc-3", 1, "10.9.9.9", 9042));
    snapshot.routes.push_back(route("vpc-4", 1, "127.0.4.1", 65533));   // no room under the parser's port bound
    snapshot.contact = "127.0.2.1:9100";
    const auto written = importer::write_scenario(snapshot, {{}, "t"});
    REQUIRE(written.error.empty());
    INFO(written.toml);
    const auto parsed = scenario::parse_scenario_text(written.toml, "imported.toml");
    REQUIRE(parsed);
    const auto& proxies = parsed.scenario().cluster.proxies;
    REQUIRE(proxies.size() == 3);
    CHECK(proxies[0].connection_id == "vpc-1");
    CHECK(proxies[0].port == 9100);
    CHECK(proxies[0].nodes.size() == 5);
    CHECK(proxies[1].connection_id == "vpc-2");
    CHECK(proxies[1].nodes == std::vector<std::string>{"east-b-n1"});
    CHECK(proxies[2].address == "127.0.3.9");
    CHECK(parsed.scenario().cluster.private_link);   // the contact is a route endpoint
    CHECK(written.toml.find("route vpc-3 for host host-1 left out: address 10.9.9.9 is not a loopback") != std::string::npos);
    CHECK(written.toml.find("# Note: route vpc-4 for east-a-n1 left out: port 65533") != std::string::npos);
}

TEST_CASE("import: what no scenario can hold is an error", "[import]") {
    auto snapshot = two_dc();
    snapshot.discovery.partitioner = "org.apache.cassandra.dht.RandomPartitioner";
    CHECK(importer::write_scenario(snapshot, {{}, "t"}).error.find("RandomPartitioner") != std::string::npos);
    snapshot = two_dc();
    snapshot.discovery.nodes[0].datacenter = "east coast";
    CHECK(importer::write_scenario(snapshot, {{}, "t"}).error.find("not a scenario name") != std::string::npos);
}
