// Replica placement on a hand-built ring: checks SimpleStrategy's clockwise walk and
// NetworkTopologyStrategy's per-DC walk with the rack rule, against placements worked
// out by hand from the rules in the protocol reference (§4.3).
#include <catch2/catch.hpp>

#include "mock_cluster/topology/token_ring.hpp"

using namespace routelab::cluster;

namespace {

Topology ring_of(std::vector<NodeConfig> nodes) {
    ClusterConfig config;
    config.nodes = std::move(nodes);
    return Topology::build(config, routelab::sim::RngStream(1));
}

std::vector<std::uint16_t> to_vector(std::span<const std::uint16_t> s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("a token belongs to the first ring token at or after it, wrapping") {
    Topology t = ring_of({{"a", "dc1", "r1", {-100}}, {"b", "dc1", "r1", {0}}, {"c", "dc1", "r1", {100}}});
    TokenRing ring(t);
    CHECK(ring.owner_at(ring.position_of(-150)) == 0);
    CHECK(ring.owner_at(ring.position_of(-100)) == 0);
    CHECK(ring.owner_at(ring.position_of(-99)) == 1);
    CHECK(ring.owner_at(ring.position_of(0)) == 1);
    CHECK(ring.owner_at(ring.position_of(50)) == 2);
    CHECK(ring.owner_at(ring.position_of(101)) == 0);
}

TEST_CASE("SimpleStrategy walks clockwise collecting distinct nodes") {
    Topology t = ring_of({{"a", "dc1", "r1", {-100, 200}}, {"b", "dc1", "r1", {0}}, {"c", "dc1", "r1", {100}}});
    TokenRing ring(t);
    ReplicaMap rf2(ring, ReplicationStrategy::simple(2));
    CHECK(to_vector(rf2.replicas_for(-100)) == std::vector<std::uint16_t>{0, 1});
    CHECK(to_vector(rf2.replicas_for(150)) == std::vector<std::uint16_t>{0, 1});  // 200 (a), wrap: -100 (a) skipped, 0 (b)
    ReplicaMap rf5(ring, ReplicationStrategy::simple(5));
    CHECK(rf5.replicas_for(1).size() == 3);  // bounded by the node count
}

TEST_CASE("NetworkTopologyStrategy places per DC and prefers unused racks") {
    // dc1 ring order: a(r1) -100, b(r1) 0, c(r2) 100; dc2: d at 50.
    Topology t = ring_of({{"a", "dc1", "r1", {-100}},
                          {"b", "dc1", "r1", {0}},
                          {"c", "dc1", "r2", {100}},
                          {"d", "dc2", "r1", {50}}});
    TokenRing ring(t);
    ReplicaMap nts(ring, ReplicationStrategy::network_topology({{"dc1", 2}, {"dc2", 1}}));
    // From -100: a (r1) chosen; b (r1) set aside, rack r1 used; c (r2) chosen. Then dc2: d.
    CHECK(to_vector(nts.replicas_for(-100)) == std::vector<std::uint16_t>{0, 2, 3});
    // From 0: b (r1), then d is dc2, c (r2) chosen -> [b, c], then d.
    CHECK(to_vector(nts.replicas_for(-50)) == std::vector<std::uint16_t>{1, 2, 3});
    // A DC absent from the map gets no replicas.
    ReplicaMap only_dc2(ring, ReplicationStrategy::network_topology({{"dc2", 3}}));
    CHECK(to_vector(only_dc2.replicas_for(0)) == std::vector<std::uint16_t>{3});
}

TEST_CASE("unpinned tokens come from the seed and are stable for a seed") {
    ClusterConfig config;
    config.vnodes = 8;
    config.nodes = {{"a", "dc1", "r1", {}}, {"b", "dc1", "r2", {}}};
    Topology one = Topology::build(config, routelab::sim::RngStream(7));
    Topology two = Topology::build(config, routelab::sim::RngStream(7));
    Topology other = Topology::build(config, routelab::sim::RngStream(8));
    CHECK(one.node(0).tokens.size() == 8);
    CHECK(one.node(0).tokens == two.node(0).tokens);
    CHECK(one.node(0).tokens != other.node(0).tokens);
    CHECK(one.node(0).host_id == other.node(0).host_id);  // identity does not depend on the seed
    CHECK(format_uuid(one.node(0).host_id).size() == 36);
}
