// ClusterState and its builder: ring lookup, replica placement per strategy (the Rust
// locator fixture's expectations and Cassandra's NTS rack rule), shards, and the typed
// errors of bad metadata — example tests on fixed rings.
#include <catch2/catch.hpp>

#include "driver/protocol/sharding.hpp"
#include "tests/driver/fixture.hpp"

using namespace routelab;
using namespace routelab::driver;
using namespace routelab::driver::test;

namespace {

std::string replica_names(const ClusterState& c, std::span<const NodeIndex> set) {
    std::string out;
    for (NodeIndex n : set) out += c.nodes[n].host_id;
    return out;
}

}  // namespace

TEST_CASE("ring lookup: a token belongs to the first ring token >= it, wrapping") {
    auto c = build(rust_fixture_metadata());
    const TokenRing& ring = *c->ring;
    REQUIRE(ring.size() == 17);
    CHECK(ring.owner_at(ring.position_of(160)) == 5);  // F owns 200
    CHECK(ring.owner_at(ring.position_of(200)) == 5);  // exactly a ring token: that owner
    CHECK(ring.owner_at(ring.position_of(201)) == 0);  // A owns 250
    CHECK(ring.owner_at(ring.position_of(901)) == 0);  // past the last token: wraps to A (50)
    CHECK(ring.owner_at(ring.position_of(-5)) == 0);
}

TEST_CASE("replica sets of the Rust locator fixture at token 160") {
    auto c = build(rust_fixture_metadata());
    const std::size_t eu = c->datacenter_index("eu");
    const std::size_t us = c->datacenter_index("us");
    REQUIRE(eu == 0);
    REQUIRE(us == 1);

    SECTION("NTS rf2: rack rule skips C in eu") {
        auto set = c->replicas(*c->keyspace("ks_nts_rf2"), 160);
        CHECK(replica_names(*c, set.in_datacenter(eu)) == "AG");
        CHECK(replica_names(*c, set.in_datacenter(us)) == "FD");
        CHECK(replica_names(*c, set.grouped) == "AGFD");
        CHECK(replica_names(*c, set.ring_order) == "FADG");
    }
    SECTION("NTS rf3: within a DC, ring order (the LWT order), not placement order") {
        auto set = c->replicas(*c->keyspace("ks_nts_rf3"), 160);
        CHECK(replica_names(*c, set.in_datacenter(eu)) == "ACG");
        CHECK(replica_names(*c, set.in_datacenter(us)) == "FDE");
        CHECK(replica_names(*c, set.ring_order) == "FACDGE");
    }
    SECTION("SimpleStrategy rf2: the first two distinct owners, filtered per DC") {
        auto set = c->replicas(*c->keyspace("ks_simple_rf2"), 160);
        CHECK(replica_names(*c, set.ring_order) == "FA");
        CHECK(replica_names(*c, set.in_datacenter(eu)) == "A");
        CHECK(replica_names(*c, set.in_datacenter(us)) == "F");
    }
    SECTION("unknown DC index gives no replicas") {
        auto set = c->replicas(*c->keyspace("ks_nts_rf2"), 160);
        CHECK(set.in_datacenter(c->datacenter_index("au")).empty());
    }
}

TEST_CASE("Cassandra's NTS rack rule: set-aside nodes are appended once all racks are used") {
    // One DC, racks r1 r1 r1 r2 in ring order; rf 3: A, (B, C set aside), D → all racks →
    // B appended. The set is {A, B, D}; ring order A, B, D.
    ClusterMetadata m;
    const char* racks[] = {"r1", "r1", "r1", "r2"};
    for (int i = 0; i < 4; ++i) {
        NodeMetadata n;
        n.address = net::Endpoint{net::ipv4(10, 0, 0, static_cast<std::uint8_t>(i + 1)), 9042};
        n.host_id = std::string(1, static_cast<char>('A' + i));
        n.datacenter = "dc";
        n.rack = racks[i];
        n.tokens = {std::to_string((i + 1) * 100)};
        m.nodes.push_back(n);
    }
    m.keyspaces.push_back({"ks", {{"class", "NetworkTopologyStrategy"}, {"dc", "3"}}});
    m.keyspaces.push_back({"ks2", {{"class", "NetworkTopologyStrategy"}, {"dc", "2"}}});
    m.keyspaces.push_back({"ev", {{"class", "EverywhereStrategy"}}});
    m.keyspaces.push_back({"lo", {{"class", "LocalStrategy"}}});
    m.keyspaces.push_back({"odd", {{"class", "com.example.CustomStrategy"}}});
    auto c = build(m);
    CHECK(replica_names(*c, c->replicas(*c->keyspace("ks"), 50).ring_order) == "ABD");
    CHECK(replica_names(*c, c->replicas(*c->keyspace("ks2"), 50).ring_order) == "AD");
    CHECK(replica_names(*c, c->replicas(*c->keyspace("ks2"), 350).ring_order) == "DA");
    CHECK(replica_names(*c, c->replicas(*c->keyspace("ev"), 250).ring_order) == "CDAB");
    CHECK(c->replicas(*c->keyspace("lo"), 250).empty());
    CHECK(replica_names(*c, c->replicas(*c->keyspace("odd"), 250).ring_order) == "C");
    // Equal strategies share one table.
    CHECK(c->keyspace("ks")->replicas != c->keyspace("ks2")->replicas);
}

TEST_CASE("rf above the DC's node count takes every node of the DC") {
    auto m = rust_fixture_metadata();
    m.keyspaces.push_back({"big", {{"class", "NetworkTopologyStrategy"}, {"eu", "9"}, {"nowhere", "3"}}});
    auto c = build(m);
    auto set = c->replicas(*c->keyspace("big"), 160);
    CHECK(replica_names(*c, set.ring_order) == "ACGB");
}

TEST_CASE("shard of a replica follows ScyllaDB's biased-token-round-robin; 0 without sharding info") {
    auto m = rust_fixture_metadata();
    m.nodes[0].shard_count = 8;
    m.nodes[0].sharding_ignore_msb = 12;
    auto c = build(m);
    for (std::int64_t token : {std::int64_t{-9'000'000'000'000'000'000}, std::int64_t{0}, std::int64_t{123456789}}) {
        CHECK(c->shard_of(0, token) == cql::shard_of(token, 8, 12));
        CHECK(c->shard_of(1, token) == 0);
    }
}

TEST_CASE("hand-made snapshot without ring: lookups are empty, not errors") {
    ClusterState s;
    s.nodes.resize(2);
    s.nodes[1].index = 1;
    KeyspaceInfo ks{"ks", ReplicationStrategy::simple(1), nullptr};
    CHECK(s.replicas(ks, 5).empty());
    CHECK(s.keyspace("ks") == nullptr);
}

TEST_CASE("builder: typed errors name the place") {
    SECTION("bad token") {
        auto m = rust_fixture_metadata();
        m.nodes[2].tokens.push_back("12x");
        auto r = build_cluster_state(m);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where == "node 127.0.0.3:9042 tokens");
    }
    SECTION("bad replication factor") {
        auto m = rust_fixture_metadata();
        m.keyspaces.push_back({"bad", {{"class", "SimpleStrategy"}, {"replication_factor", "three"}}});
        auto r = build_cluster_state(m);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where == "keyspace bad replication.replication_factor");
    }
    SECTION("missing class") {
        auto m = rust_fixture_metadata();
        m.keyspaces.push_back({"bad", {{"replication_factor", "3"}}});
        auto r = build_cluster_state(m);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == "missing 'class'");
    }
    SECTION("duplicate address") {
        auto m = rust_fixture_metadata();
        m.nodes[3].address = m.nodes[0].address;
        CHECK_FALSE(build_cluster_state(m).ok());
    }
    SECTION("transient replication '3/1' counts 3") {
        auto r = parse_replication("ks", {{"class", "SimpleStrategy"}, {"replication_factor", "3/1"}});
        REQUIRE(r.ok());
        CHECK(r.value().replication_factor == 3);
    }
}

TEST_CASE("builder: the allow list disables unlisted nodes (address, ip only, or host id)") {
    auto m = rust_fixture_metadata();
    m.allow_list = std::vector<std::string>{"127.0.0.1:9042", "127.0.0.2", "G", "127.0.0.4:9999"};
    auto c = build(m);
    std::string enabled;
    for (const NodeInfo& n : c->nodes)
        if (n.enabled) enabled += n.host_id;
    CHECK(enabled == "ABG");
}
