// Writes across datacenters: every write reaches every live replica of every DC (remote
// DCs through one forwarding replica each), the level decides only which acks the
// coordinator waits for, and replicas that were down get hints replayed when they return.
// Three DCs of three nodes, RF 3 in each, constant latencies: 100 us inside a DC, 10 ms
// across DCs, 100 us of service per replica operation.
#include <catch2/catch.hpp>

#include "mock_cluster/coordinator/coordinator.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "tests/cluster/store_helpers.hpp"

using namespace routelab;
using namespace routelab::cluster;
using namespace routelab::sim::literals;

namespace {

constexpr int node_count = 9;   // dc1: 0-2, dc2: 3-5, dc3: 6-8

struct ThreeDcs {
    sim::SimScheduler scheduler;
    sim::Trace trace;
    Topology topology;
    TokenRing ring;
    std::map<std::string, int> rf{{"dc1", 3}, {"dc2", 3}, {"dc3", 3}};   // before `replicas`, built from it
    ReplicaMap replicas;
    std::vector<NodeState> nodes;
    net::LinkModel links;
    sim::Distribution service{sim::dist::Constant{100.0}};
    Coordinator coordinator;
    std::string payload;

    ThreeDcs()
        : topology(make_topology()),
          ring(topology),
          replicas(ring, ReplicationStrategy::network_topology(rf)),
          nodes(node_count),
          links(make_links(topology)),
          coordinator(scheduler, trace, topology, nodes, links, sim::RngStream(3), CoordinatorTimeouts{}) {
        for (auto& n : nodes) {
            n.shards.emplace_back(WorkTimes{&service, &service}, 1, sim::RngStream(1), sim::RngStream(2));   // replica work only here
            n.tables.resize(1);
        }
    }
    static Topology make_topology() {
        ClusterConfig config;
        for (int i = 0; i < node_count; ++i) {
            const std::string dc = "dc" + std::to_string(i / 3 + 1);
            config.nodes.push_back({"n" + std::to_string(i), dc, "r" + std::to_string(i % 3 + 1), {i * 1000 - 4000}});
        }
        return Topology::build(config, sim::RngStream(1));
    }
    static net::LinkModel make_links(const Topology& topology) {
        net::LinkLatencies l;
        l.same_host = sim::Distribution{sim::dist::Constant{0.0}};
        l.same_rack = sim::Distribution{sim::dist::Constant{100.0}};
        l.same_dc = sim::Distribution{sim::dist::Constant{100.0}};
        l.cross_dc = sim::Distribution{sim::dist::Constant{10'000.0}};
        net::LinkModel links(l);
        for (const auto& node : topology.nodes()) links.place(node.ip, {node.datacenter, node.rack});
        return links;
    }
    ReplicaOp op(OpKind kind, Consistency cl, std::string_view cell = {}, std::int64_t ts = 0) {
        ReplicaOp o;
        o.kind = kind;
        o.replicas = &replicas;
        o.total_rf = 9;
        o.rf_per_dc = &rf;
        o.token = 42;
        o.partition_key = "key";
        payload = kind == OpKind::write ? test::value_mutation(cell) : std::string();
        o.payload = payload;
        o.timestamp_us = ts;
        o.consistency = cl;
        return o;
    }
    // Starts an operation and runs the world only until it is answered (late acks and
    // remote copies may still be on their way).
    CoordinatorResult until_answered(std::uint16_t coordinator_node, const ReplicaOp& o) {
        CoordinatorResult out;
        bool called = false;
        coordinator.execute(coordinator_node, o, [&](const CoordinatorResult& r) {
            called = true;
            out = r;
            value = test::visible_value(r.rows);
        });
        while (!called && scheduler.step()) {}
        REQUIRE(called);
        return out;
    }
    // The value a replica holds itself, if any.
    std::optional<std::string> held_by(int node) const {
        RowSet rows;
        if (!nodes[static_cast<std::size_t>(node)].tables[0].read("key", "", rows)) return std::nullopt;
        return test::visible_value(&rows);
    }
    void stop(int node) {
        nodes[static_cast<std::size_t>(node)].up = false;
        coordinator.node_down(static_cast<std::uint16_t>(node));
    }
    void start(int node) {
        nodes[static_cast<std::size_t>(node)].up = true;
        coordinator.node_up(static_cast<std::uint16_t>(node));
    }
    std::optional<std::string> value;
};

}  // namespace

TEST_CASE("a LOCAL_QUORUM write in dc1 reaches dc2 and dc3 after the cross-DC latency", "[cluster][write-path]") {
    ThreeDcs f;
    auto w = f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "v1", 10));
    REQUIRE(w.status == CoordinatorResult::Status::ok);
    CHECK(w.required == 2);
    // Answered from dc1's acks alone, well before a cross-DC message could return.
    CHECK(f.scheduler.now() < sim::Time{} + 2_ms);
    CHECK_FALSE(f.held_by(3).has_value());
    auto early = f.until_answered(4, f.op(OpKind::read, Consistency::local_one));
    CHECK(early.status == CoordinatorResult::Status::ok);
    CHECK_FALSE(f.value.has_value());

    f.scheduler.run_until(sim::Time{} + 11_ms);   // one cross-DC hop, a relay and the service
    for (int node : {3, 4, 5, 6, 7, 8}) {
        INFO("node " << node);
        CHECK(f.held_by(node) == std::optional<std::string>("v1"));
    }
    for (std::uint16_t reader : {std::uint16_t{4}, std::uint16_t{7}}) {
        auto r = f.until_answered(reader, f.op(OpKind::read, Consistency::local_one));
        CHECK(r.status == CoordinatorResult::Status::ok);
        CHECK(f.value == std::optional<std::string>("v1"));
    }
}

TEST_CASE("each remote DC gets one cross-DC message; its forwarder relays to the others", "[cluster][write-path]") {
    ThreeDcs f;
    f.until_answered(0, f.op(OpKind::write, Consistency::local_one, "v1", 10));
    // The forwarder's copy lands at 10 ms and is applied after 100 us of service; the
    // relayed copies land 100 us later and are applied at 10.2 ms.
    f.scheduler.run_until(sim::Time{} + 10_ms + 50_us);
    int remote_holding = 0;
    for (int node = 3; node < node_count; ++node) remote_holding += f.held_by(node).has_value();
    CHECK(remote_holding == 0);
    f.scheduler.run_until(sim::Time{} + 10_ms + 150_us);
    remote_holding = 0;
    for (int node = 3; node < node_count; ++node) remote_holding += f.held_by(node).has_value();
    CHECK(remote_holding == 2);
    f.scheduler.run();
    for (int node = 0; node < node_count; ++node) CHECK(f.held_by(node).has_value());
}

TEST_CASE("per-node load counts the remote copies of a write", "[cluster][write-path]") {
    ThreeDcs f;
    for (int i = 0; i < 5; ++i) f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "v", 10 + i));
    f.scheduler.run();
    for (int node = 0; node < node_count; ++node) {
        INFO("node " << node);
        CHECK(f.nodes[static_cast<std::size_t>(node)].replica_ops == 5);
    }
    CHECK(f.nodes[0].coordinated == 5);
    CHECK(f.nodes[3].coordinated == 0);
}

TEST_CASE("LOCAL_QUORUM counts only its own DC's acks; EACH_QUORUM needs a quorum in every DC", "[cluster][write-path]") {
    ThreeDcs f;
    SECTION("a remote DC down does not block LOCAL_QUORUM") {
        for (int node : {3, 4, 5}) f.stop(node);
        auto w = f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "v1", 10));
        CHECK(w.status == CoordinatorResult::Status::ok);
    }
    SECTION("EACH_QUORUM waits for the remote DCs' quorums") {
        auto w = f.until_answered(0, f.op(OpKind::write, Consistency::each_quorum, "v1", 10));
        CHECK(w.status == CoordinatorResult::Status::ok);
        CHECK(f.scheduler.now() > sim::Time{} + 20_ms);   // there and back across DCs
    }
    SECTION("EACH_QUORUM is unavailable when one DC lacks a quorum") {
        for (int node : {6, 7}) f.stop(node);
        auto w = f.until_answered(0, f.op(OpKind::write, Consistency::each_quorum, "v1", 10));
        CHECK(w.status == CoordinatorResult::Status::unavailable);
        CHECK(w.required == 2);
        CHECK(w.alive == 1);
    }
    SECTION("QUORUM counts every DC's acks") {
        auto w = f.until_answered(0, f.op(OpKind::write, Consistency::quorum, "v1", 10));
        CHECK(w.status == CoordinatorResult::Status::ok);
        CHECK(w.required == 5);
        CHECK(f.scheduler.now() > sim::Time{} + 20_ms);   // dc1's 3 acks are not enough
    }
    SECTION("LOCAL_QUORUM is unavailable when its own DC lacks a quorum, whatever the remote DCs") {
        for (int node : {1, 2}) f.stop(node);
        auto w = f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "v1", 10));
        CHECK(w.status == CoordinatorResult::Status::unavailable);
        CHECK(w.alive == 1);
    }
}

TEST_CASE("a DC down and back up gets its hints and serves the writes it missed", "[cluster][write-path]") {
    ThreeDcs f;
    for (int node : {6, 7, 8}) f.stop(node);
    f.scheduler.run_until(sim::Time{} + 60_s);
    auto w = f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "missed", 10));
    REQUIRE(w.status == CoordinatorResult::Status::ok);
    f.scheduler.run();
    CHECK(f.nodes[0].hints_stored == 3);
    CHECK(f.coordinator.hints().size() == 3);
    for (int node : {6, 7, 8}) CHECK_FALSE(f.held_by(node).has_value());

    for (int node : {6, 7, 8}) f.start(node);
    f.scheduler.run();
    CHECK(f.coordinator.hints().size() == 0);
    for (int node : {6, 7, 8}) {
        INFO("node " << node);
        CHECK(f.nodes[static_cast<std::size_t>(node)].hints_replayed == 1);
        CHECK(f.nodes[static_cast<std::size_t>(node)].replica_ops == 1);
        CHECK(f.held_by(node) == std::optional<std::string>("missed"));
    }
    auto r = f.until_answered(7, f.op(OpKind::read, Consistency::local_one));
    CHECK(r.status == CoordinatorResult::Status::ok);
    CHECK(f.value == std::optional<std::string>("missed"));
}

TEST_CASE("a node down longer than max_hint_window gets no hints", "[cluster][write-path]") {
    ThreeDcs f;
    f.stop(8);
    f.scheduler.run_until(sim::Time{} + sim::Duration::from_s(3 * 3600) - 1_s);
    f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "inside", 10));
    f.scheduler.run_until(sim::Time{} + sim::Duration::from_s(3 * 3600) + 1_s);
    f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "outside", 20));
    f.scheduler.run();
    CHECK(f.nodes[0].hints_stored == 1);   // only the write inside the window
    f.start(8);
    f.scheduler.run();
    CHECK(f.nodes[8].hints_replayed == 1);
    CHECK(f.held_by(8) == std::optional<std::string>("inside"));
    CHECK(f.held_by(7) == std::optional<std::string>("outside"));
}

TEST_CASE("a hint whose target went down again before it arrived is kept for its next return", "[cluster][write-path]") {
    ThreeDcs f;
    f.stop(5);
    f.until_answered(0, f.op(OpKind::write, Consistency::local_quorum, "v1", 10));
    f.scheduler.run();
    REQUIRE(f.coordinator.hints().size() == 1);
    f.start(5);
    f.stop(5);   // before the replay crossed the link
    f.scheduler.run();
    CHECK(f.coordinator.hints().size() == 1);
    CHECK_FALSE(f.held_by(5).has_value());
    f.start(5);
    f.scheduler.run();
    CHECK(f.coordinator.hints().size() == 0);
    CHECK(f.held_by(5) == std::optional<std::string>("v1"));
}
