// The service model and the control surface: a shard is a FIFO queue, one server by default (arrivals
// at once queue behind each other, a slowdown multiplies service times, other shards are
// not affected); racks and datacenters stop and start as wholes, each node's DOWN/UP
// pushed to registered clients; every control action is a trace event.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "mock_cluster/service/shard_queue.hpp"
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

TEST_CASE("a shard queues requests that arrive together and serves them one after another; a slowdown multiplies") {
    const sim::Distribution constant{sim::dist::Constant{100.0}};   // 100 µs each
    const sim::Distribution coordinator{sim::dist::Constant{10.0}};
    cluster::ShardQueue shard({&constant, &coordinator}, 1, sim::Rng(1).stream("shard"), sim::Rng(1).stream("coordinator"));
    const auto t0 = sim::Time::zero() + sim::Duration::from_ms(1);
    for (int i = 1; i <= 5; ++i) CHECK(shard.admit_replica(t0) == t0 + sim::Duration::from_us(100 * i));
    // Coordinator work joins the same queue, behind what arrived before it.
    CHECK(shard.admit_coordinator(t0) == t0 + sim::Duration::from_us(510));
    // Idle again later: no queue.
    const auto t1 = t0 + sim::Duration::from_ms(10);
    CHECK(shard.admit_replica(t1) == t1 + sim::Duration::from_us(100));
    shard.set_slowdown(20);
    const auto t2 = t1 + sim::Duration::from_ms(10);
    CHECK(shard.admit_replica(t2) == t2 + sim::Duration::from_us(2000));
    CHECK(shard.admit_replica(t2) == t2 + sim::Duration::from_us(4000));   // and the queue behind it grows
    CHECK(shard.admit_coordinator(t2) == t2 + sim::Duration::from_us(4200));   // coordinator work is slowed too
    CHECK(shard.admitted() == 10);
}

TEST_CASE("a shard with several slots serves that many at once, in arrival order, and queues the rest") {
    const sim::Distribution constant{sim::dist::Constant{100.0}};
    const sim::Distribution none{sim::dist::Constant{0.0}};
    cluster::ShardQueue shard({&constant, &none}, 3, sim::Rng(1).stream("shard"), sim::Rng(1).stream("coordinator"));
    CHECK(shard.slots() == 3);
    const auto t0 = sim::Time::zero() + sim::Duration::from_ms(1);
    // Three start at once; the fourth waits for the first slot to free, the seventh for the second round.
    for (int i = 0; i < 3; ++i) CHECK(shard.admit_replica(t0) == t0 + sim::Duration::from_us(100));
    for (int i = 0; i < 3; ++i) CHECK(shard.admit_replica(t0) == t0 + sim::Duration::from_us(200));
    CHECK(shard.next_free() == t0 + sim::Duration::from_us(200));
    CHECK(shard.admit_replica(t0 + sim::Duration::from_us(50)) == t0 + sim::Duration::from_us(300));
    // Zero-length coordinator work still waits for its turn.
    CHECK(shard.admit_coordinator(t0) == t0 + sim::Duration::from_us(200));
    // Work of a given length, on the slot that frees first.
    CHECK(shard.admit(t0, sim::Duration::from_us(7)) == t0 + sim::Duration::from_us(207));
    CHECK_THROWS_AS(cluster::ShardQueue({&constant, &none}, 0, sim::Rng(1).stream("a"), sim::Rng(1).stream("b")), std::invalid_argument);
}

TEST_CASE("slow_shard slows one shard of one node; slow_node every shard of it") {
    World world;   // 2 shards per node, constant 100 µs service
    const auto now = world.scheduler.now();
    auto service = [&](std::size_t node, std::size_t shard) {
        auto& queue = world.cluster.coordinator_shard(node, shard);
        const auto start = std::max(now, queue.next_free());
        return queue.admit_replica(start) - start;
    };
    world.cluster.slow_shard(0, 1, 10);
    CHECK(service(0, 0) == sim::Duration::from_us(100));
    CHECK(service(0, 1) == sim::Duration::from_us(1000));
    CHECK(service(1, 1) == sim::Duration::from_us(100));
    world.cluster.slow_node(1, 3);
    CHECK(service(1, 0) == sim::Duration::from_us(300));
    CHECK(service(1, 1) == sim::Duration::from_us(300));
    world.cluster.slow_shard(0, 1, 1);
    CHECK(service(0, 1) == sim::Duration::from_us(100));
}

TEST_CASE("a rack and a datacenter stop and start as wholes; registered clients see each node's DOWN and UP") {
    World world;   // n1..n3 in dc1 racks r1..r3, n4 in dc2 rack r1
    RawClient client{world, 0};
    client.startup();
    REQUIRE(std::holds_alternative<wire::Ready>(client.request(wire::Register{{"STATUS_CHANGE"}})));
    auto changes = [&client] {
        std::vector<std::string> out;
        for (const auto& e : client.events())
            if (const auto* s = std::get_if<wire::StatusChange>(&e.change))
                out.push_back(s->change + " " + std::to_string(s->node.address.bytes[3]));
        client.events().clear();
        return out;
    };
    const auto faults_before = world.trace.events();
    world.cluster.stop_rack("dc1", "r2");
    world.scheduler.run();
    CHECK_FALSE(world.cluster.node_state(1).up);
    CHECK(world.cluster.node_state(0).up);
    CHECK(changes() == std::vector<std::string>{"DOWN 2"});
    world.cluster.stop_datacenter("dc2");
    world.scheduler.run();
    CHECK_FALSE(world.cluster.node_state(3).up);
    CHECK(changes() == std::vector<std::string>{"DOWN 4"});
    world.cluster.start_rack("dc1", "r2");
    world.cluster.start_datacenter("dc2");
    world.scheduler.run();
    CHECK(world.cluster.node_state(1).up);
    CHECK(world.cluster.node_state(3).up);
    CHECK(changes() == std::vector<std::string>{"UP 2", "UP 4"});
    CHECK(world.trace.events() > faults_before);   // each action left trace events
}
