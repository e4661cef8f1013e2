// Coordinator properties over random two-DC clusters (NetworkTopologyStrategy, random
// per-DC factors, random down sets and consistency levels):
//  - Unavailable is answered exactly when the live replicas cannot meet the level, by an
//    oracle that counts replicas per the level's rule (LOCAL_* in the coordinator's DC,
//    EACH_QUORUM in every DC);
//  - with QUORUM writes and reads, while at least a quorum of replicas stays up, a read
//    returns the last acknowledged write (nodes stop and start between operations).
#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <map>

#include "mock_cluster/coordinator/coordinator.hpp"
#include "tests/cluster/store_helpers.hpp"
#include "sim/core/sim_scheduler.hpp"

using namespace routelab;
using namespace routelab::cluster;
using namespace routelab::sim::literals;

namespace {

net::LinkModel links() {
    net::LinkLatencies l;
    l.same_host = sim::Distribution{sim::dist::Constant{0.0}};
    l.same_rack = sim::Distribution{sim::dist::Constant{50.0}};
    l.same_dc = l.same_rack;
    l.cross_dc = sim::Distribution{sim::dist::Constant{500.0}};
    return net::LinkModel(l);
}

struct RandomCluster {
    sim::SimScheduler scheduler;
    sim::Trace trace;
    Topology topology;
    TokenRing ring;
    ReplicaMap replicas;
    ReplicationStrategy strategy;
    std::vector<NodeState> nodes;
    net::LinkModel link_model;
    sim::Distribution service{sim::dist::Constant{100.0}};
    Coordinator coordinator;

    RandomCluster(const ClusterConfig& config, ReplicationStrategy s)
        : topology(Topology::build(config, sim::RngStream(11))),
          ring(topology),
          replicas(ring, s),
          strategy(std::move(s)),
          nodes(config.nodes.size()),
          link_model(links()),
          coordinator(scheduler, trace, topology, nodes, link_model, sim::RngStream(3), CoordinatorTimeouts{}) {
        for (auto& n : nodes) {
            n.shards.emplace_back(WorkTimes{&service, &service}, 1, sim::RngStream(1), sim::RngStream(2));   // replica work only here
            n.tables.resize(1);
        }
    }

    ReplicaOp op(OpKind kind, Consistency cl, std::int64_t token, std::string_view value = {}, std::int64_t ts = 0) {
        ReplicaOp o;
        o.kind = kind;
        o.replicas = &replicas;
        o.total_rf = strategy.total_factor();
        o.rf_per_dc = &strategy.factor_per_dc;
        o.token = token;
        o.partition_key = "key";
        payload = kind == OpKind::write ? test::value_mutation(value) : std::string();
        o.payload = payload;
        o.timestamp_us = ts;
        o.consistency = cl;
        return o;
    }

    std::string payload;
    CoordinatorResult run(std::uint16_t coordinator_node, const ReplicaOp& o, std::optional<std::string>* value = nullptr) {
        CoordinatorResult out;
        int calls = 0;
        coordinator.execute(coordinator_node, o, [&](const CoordinatorResult& r) {
            ++calls;
            out = r;
            if (value != nullptr) *value = test::visible_value(r.rows);
        });
        scheduler.run();
        RC_ASSERT(calls == 1);
        return out;
    }
};

ClusterConfig random_config() {
    ClusterConfig config;
    const int dc1 = *rc::gen::inRange(1, 5);
    const int dc2 = *rc::gen::inRange(1, 4);
    for (int i = 0; i < dc1; ++i) config.nodes.push_back({"a" + std::to_string(i), "dc1", "r" + std::to_string(i % 2), {}});
    for (int i = 0; i < dc2; ++i) config.nodes.push_back({"b" + std::to_string(i), "dc2", "r" + std::to_string(i % 2), {}});
    config.vnodes = 4;
    return config;
}

}  // namespace

TEST_CASE("coordinator properties") {
    rc::prop("Unavailable exactly when the live replicas cannot meet the consistency level", [] {
        const ClusterConfig config = random_config();
        const int n1 = static_cast<int>(std::count_if(config.nodes.begin(), config.nodes.end(), [](const auto& n) { return n.datacenter == "dc1"; }));
        const int n2 = static_cast<int>(config.nodes.size()) - n1;
        std::map<std::string, int> per_dc{{"dc1", *rc::gen::inRange(1, n1 + 1)}};
        if (*rc::gen::arbitrary<bool>()) per_dc["dc2"] = *rc::gen::inRange(1, n2 + 1);
        RandomCluster c(config, ReplicationStrategy::network_topology(per_dc));
        for (auto& n : c.nodes) n.up = *rc::gen::weightedElement<bool>({{2, true}, {1, false}});
        const auto cl = *rc::gen::element(Consistency::one, Consistency::two, Consistency::three, Consistency::quorum,
                                          Consistency::all, Consistency::local_one, Consistency::local_quorum,
                                          Consistency::each_quorum);
        const auto coordinator_node = static_cast<std::uint16_t>(*rc::gen::inRange<std::size_t>(0, config.nodes.size()));
        const std::int64_t token = *rc::gen::arbitrary<std::int64_t>();

        // The oracle: replicas of the token, per DC, live or not.
        std::map<std::string, int> replicas_in, live_in;
        int total = 0, live = 0;
        for (auto r : c.replicas.replicas_for(token)) {
            const std::string& dc = c.topology.node(r).datacenter;
            ++replicas_in[dc];
            ++total;
            if (c.nodes[r].up) {
                ++live_in[dc];
                ++live;
            }
        }
        const std::string& local = c.topology.node(coordinator_node).datacenter;
        bool available = false;
        switch (cl) {
            case Consistency::one: available = live >= 1; break;
            case Consistency::two: available = live >= 2; break;
            case Consistency::three: available = live >= 3; break;
            case Consistency::quorum: available = live >= total / 2 + 1; break;
            case Consistency::all: available = live >= total; break;
            case Consistency::local_one: available = live_in[local] >= 1; break;
            case Consistency::local_quorum: available = live_in[local] >= replicas_in[local] / 2 + 1; break;
            case Consistency::each_quorum:
                available = true;
                for (const auto& [dc, count] : replicas_in) available = available && live_in[dc] >= count / 2 + 1;
                break;
            default: break;
        }
        RC_TAG(consistency_name(cl));
        const auto kind = *rc::gen::element(OpKind::read, OpKind::write);
        const auto result = c.run(coordinator_node, c.op(kind, cl, token, "v", 1));
        RC_ASSERT((result.status == CoordinatorResult::Status::unavailable) == !available);
        if (!available) RC_ASSERT(result.alive < result.required);
    });

    rc::prop("QUORUM reads return the last acknowledged QUORUM write while a quorum stays up", [] {
        const ClusterConfig config = random_config();
        const int n1 = static_cast<int>(std::count_if(config.nodes.begin(), config.nodes.end(), [](const auto& n) { return n.datacenter == "dc1"; }));
        const int n2 = static_cast<int>(config.nodes.size()) - n1;
        RandomCluster c(config, ReplicationStrategy::network_topology({{"dc1", *rc::gen::inRange(1, n1 + 1)}, {"dc2", *rc::gen::inRange(1, n2 + 1)}}));
        const std::int64_t token = *rc::gen::arbitrary<std::int64_t>();
        const auto replicas = c.replicas.replicas_for(token);
        const int total = static_cast<int>(replicas.size());
        const int quorum = total / 2 + 1;
        std::optional<std::string> acknowledged;
        std::int64_t ts = 0;
        const int steps = *rc::gen::inRange(1, 40);
        for (int step = 0; step < steps; ++step) {
            // Flip one replica's state, keeping at least a quorum of replicas up.
            const auto victim = replicas[static_cast<std::size_t>(*rc::gen::inRange(0, total))];
            int up = 0;
            for (auto r : replicas) up += c.nodes[r].up ? 1 : 0;
            if (!c.nodes[victim].up) c.nodes[victim].up = true;
            else if (up - 1 >= quorum) c.nodes[victim].up = false;
            const auto coordinator_node = static_cast<std::uint16_t>(*rc::gen::inRange<std::size_t>(0, config.nodes.size()));
            if (*rc::gen::arbitrary<bool>()) {
                const std::string value = "v" + std::to_string(step);
                const auto w = c.run(coordinator_node, c.op(OpKind::write, Consistency::quorum, token, value, ++ts));
                RC_ASSERT(w.status == CoordinatorResult::Status::ok);
                acknowledged = value;
            } else {
                std::optional<std::string> value;
                const auto r = c.run(coordinator_node, c.op(OpKind::read, Consistency::quorum, token), &value);
                RC_ASSERT(r.status == CoordinatorResult::Status::ok);
                RC_ASSERT(value == acknowledged);
            }
        }
    });
}
