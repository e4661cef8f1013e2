// The coordinator over a 3-node, RF 3 cluster with constant latencies: consistency
// levels count the right replicas, dead replicas give Unavailable or a timeout, and a
// QUORUM read after an acknowledged QUORUM write sees it.
#include <catch2/catch.hpp>

#include "mock_cluster/coordinator/coordinator.hpp"
#include "tests/cluster/store_helpers.hpp"
#include "sim/core/sim_scheduler.hpp"

using namespace routelab;
using namespace routelab::cluster;
using namespace routelab::sim::literals;

namespace {

struct Fixture {
    sim::SimScheduler scheduler;
    sim::Trace trace;
    Topology topology;
    TokenRing ring;
    ReplicaMap replicas;
    std::vector<NodeState> nodes;
    net::LinkModel links;
    sim::Distribution service{sim::dist::Constant{100.0}};
    Coordinator coordinator;

    Fixture()
        : topology(make_topology()),
          ring(topology),
          replicas(ring, ReplicationStrategy::simple(3)),
          nodes(3),
          links(constant_links()),
          coordinator(scheduler, trace, topology, nodes, links, sim::RngStream(3), CoordinatorTimeouts{}) {
        for (auto& n : nodes) {
            n.shards.emplace_back(WorkTimes{&service, &service}, 1, sim::RngStream(1), sim::RngStream(2));   // replica work only here
            n.tables.resize(1);
        }
    }
    static Topology make_topology() {
        ClusterConfig config;
        config.nodes = {{"a", "dc1", "r1", {-100}}, {"b", "dc1", "r2", {0}}, {"c", "dc1", "r3", {100}}};
        return Topology::build(config, sim::RngStream(1));
    }
    static net::LinkModel constant_links() {
        net::LinkLatencies l;
        l.same_dc = sim::Distribution{sim::dist::Constant{50.0}};
        l.same_rack = l.same_dc;
        l.same_host = sim::Distribution{sim::dist::Constant{0.0}};
        return net::LinkModel(l);
    }
    ReplicaOp op(OpKind kind, Consistency cl, std::string_view value = {}, std::int64_t ts = 0) {
        ReplicaOp o;
        o.kind = kind;
        o.replicas = &replicas;
        o.total_rf = 3;
        o.token = 42;
        o.partition_key = "key";
        payload = kind == OpKind::write ? test::value_mutation(value) : std::string();
        o.payload = payload;
        o.timestamp_us = ts;
        o.consistency = cl;
        return o;
    }
    std::string payload;
    CoordinatorResult run(std::uint16_t coordinator_node, const ReplicaOp& o) {
        CoordinatorResult out;
        std::optional<std::string> value;
        bool called = false;
        coordinator.execute(coordinator_node, o, [&](const CoordinatorResult& r) {
            CHECK_FALSE(called);
            called = true;
            out = r;
            value = test::visible_value(r.rows);
        });
        CHECK_FALSE(called);  // never answered inside execute
        scheduler.run();
        CHECK(called);
        last_value = value.value_or("");
        found = value.has_value();
        return out;
    }
    std::string last_value;
    bool found = false;
};

}  // namespace

TEST_CASE("a QUORUM read after an acknowledged QUORUM write sees it") {
    Fixture f;
    auto w = f.run(0, f.op(OpKind::write, Consistency::quorum, "v1", 10));
    CHECK(w.status == CoordinatorResult::Status::ok);
    CHECK(w.required == 2);
    auto r = f.run(1, f.op(OpKind::read, Consistency::quorum));
    CHECK(r.status == CoordinatorResult::Status::ok);
    CHECK(f.found);
    CHECK(f.last_value == "v1");
}

TEST_CASE("writes reach every live replica even after the level is met") {
    Fixture f;
    f.run(0, f.op(OpKind::write, Consistency::one, "v1", 10));
    for (auto& n : f.nodes) CHECK(n.tables[0].partition("key") != nullptr);
}

TEST_CASE("Unavailable exactly when live replicas are fewer than required") {
    Fixture f;
    f.nodes[1].up = false;
    CHECK(f.run(0, f.op(OpKind::write, Consistency::quorum, "v", 1)).status == CoordinatorResult::Status::ok);
    auto all = f.run(0, f.op(OpKind::write, Consistency::all, "v", 2));
    CHECK(all.status == CoordinatorResult::Status::unavailable);
    CHECK(all.required == 3);
    CHECK(all.alive == 2);
    f.nodes[2].up = false;
    CHECK(f.run(0, f.op(OpKind::read, Consistency::quorum)).status == CoordinatorResult::Status::unavailable);
    CHECK(f.run(0, f.op(OpKind::read, Consistency::one)).status == CoordinatorResult::Status::ok);
}

TEST_CASE("a replica that dies after the request was sent makes the coordinator time out") {
    Fixture f;
    CoordinatorResult result;
    f.coordinator.execute(0, f.op(OpKind::write, Consistency::all, "v", 1), [&](const CoordinatorResult& r) { result = r; });
    f.scheduler.run_until(sim::Time::zero() + 10_us);  // messages in flight (50 us links)
    f.nodes[2].up = false;
    f.scheduler.run();
    CHECK(result.status == CoordinatorResult::Status::write_timeout);
    CHECK(result.received == 2);
    CHECK(f.scheduler.now() == sim::Time::zero() + 2000_ms);
    CHECK(f.coordinator.in_flight() == 0);
}
