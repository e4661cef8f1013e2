// The fault timeline's step states, as live mode shows them (GET /timeline): pending until
// applied, active until a step with a duration reverts, reverted after, done for a step
// without one; cancel_pending() cancels only what has not been applied, and the steps
// already applied still revert on time.
#include <catch2/catch.hpp>

#include "mock_cluster/cluster.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/faults/timeline.hpp"
#include "sim/net/sim_network.hpp"
#include "sim/runner/cluster_setup.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;
using faults::StepState;

namespace {

const char* scenario_text = R"(
[scenario]
name = "timeline-states"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[[faults]]
action = "stop_node"
at_s = 1
duration_s = 2
node = "dc1-r2-n1"
[[faults]]
action = "add_latency"
at_s = 1.5
node = "dc1-r3-n1"
latency_us = 300
[[faults]]
action = "partition"
at_s = 4
duration_s = 1
node = "dc1-r1-n1"
peer = "dc1-r3-n1"
)";

struct Rig {
    explicit Rig(const scenario::Scenario& sc)
        : config(runner::cluster_config(sc)),
          links(runner::make_links(sc.network)),
          network(scheduler, rng.stream("net"), trace, links),
          link_faults(links) {
        runner::place_nodes(links, config);
        cluster = std::make_unique<cluster::Cluster>(cluster::ClusterEnv{scheduler, rng, trace, network, links}, config,
                                                     runner::service_config(sc));
        cluster->start();
        timeline = std::make_unique<faults::FaultTimeline>(scheduler, *cluster, link_faults, 0x0a000001u, sc.faults);
    }
    sim::SimScheduler scheduler;
    sim::Rng rng{1};
    sim::Trace trace;
    cluster::ClusterConfig config;
    net::LinkModel links;
    net::SimNetwork network;
    faults::LinkFaultNetwork link_faults;
    std::unique_ptr<cluster::Cluster> cluster;
    std::unique_ptr<faults::FaultTimeline> timeline;

    std::vector<StepState> states() const {
        std::vector<StepState> out;
        for (const auto& s : timeline->steps()) out.push_back(s.state);
        return out;
    }
    std::uint32_t ip(const char* name) const { return cluster->topology().node(*cluster->node_index(name)).ip; }
};

scenario::Scenario parse() {
    auto parsed = scenario::parse_scenario_text(scenario_text, "timeline.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    return parsed.scenario();
}

sim::Time at(double s) { return sim::Time::from_ns(static_cast<std::int64_t>(s * 1e9)); }

}  // namespace

TEST_CASE("steps go pending -> active -> reverted, or pending -> done, at their times after the origin") {
    const auto sc = parse();
    Rig rig(sc);
    const std::size_t node = *rig.cluster->node_index("dc1-r2-n1");
    CHECK_FALSE(rig.timeline->started());
    CHECK(rig.states() == std::vector<StepState>{StepState::pending, StepState::pending, StepState::pending});

    rig.scheduler.run_until(at(10));   // nothing is scheduled before start
    CHECK(rig.states() == std::vector<StepState>{StepState::pending, StepState::pending, StepState::pending});
    CHECK(rig.cluster->node_state(node).up);

    rig.timeline->start(at(10));
    CHECK(rig.timeline->started());
    CHECK(rig.timeline->origin() == at(10));
    rig.scheduler.run_until(at(11.2));
    CHECK(rig.states() == std::vector<StepState>{StepState::active, StepState::pending, StepState::pending});
    CHECK_FALSE(rig.cluster->node_state(node).up);
    CHECK(rig.timeline->steps()[0].applied_s == Approx(1.0));
    CHECK(rig.timeline->steps()[0].reverted_s == -1);

    rig.scheduler.run_until(at(11.6));
    CHECK(rig.states() == std::vector<StepState>{StepState::active, StepState::done, StepState::pending});
    CHECK(rig.links.extra_latency(rig.ip("dc1-r3-n1")) == sim::Duration::from_us(300));

    rig.scheduler.run_until(at(14.5));
    CHECK(rig.states() == std::vector<StepState>{StepState::reverted, StepState::done, StepState::active});
    CHECK(rig.cluster->node_state(node).up);
    CHECK(rig.timeline->steps()[0].reverted_s == Approx(3.0));
    CHECK_FALSE(rig.links.reachable(rig.ip("dc1-r1-n1"), rig.ip("dc1-r3-n1")));

    rig.scheduler.run_until(at(20));
    CHECK(rig.states() == std::vector<StepState>{StepState::reverted, StepState::done, StepState::reverted});
    CHECK(rig.links.reachable(rig.ip("dc1-r1-n1"), rig.ip("dc1-r3-n1")));
    REQUIRE(rig.timeline->applied().size() == 3);
    CHECK(rig.timeline->applied()[2].end_s == Approx(5.0));
    CHECK(rig.timeline->steps()[0].applications == 1);
    CHECK(rig.timeline->cancel_pending() == 0);   // everything ran: nothing to cancel
}

TEST_CASE("cancel_pending cancels what is not applied; applied steps still revert on time") {
    const auto sc = parse();
    Rig rig(sc);
    const std::size_t node = *rig.cluster->node_index("dc1-r2-n1");
    rig.timeline->start(at(0));
    rig.scheduler.run_until(at(1.2));
    CHECK(rig.timeline->cancel_pending() == 2);
    CHECK(rig.states() == std::vector<StepState>{StepState::active, StepState::cancelled, StepState::cancelled});
    CHECK(rig.timeline->cancel_pending() == 0);   // nothing left to cancel

    rig.scheduler.run_until(at(10));
    CHECK(rig.states() == std::vector<StepState>{StepState::reverted, StepState::cancelled, StepState::cancelled});
    CHECK(rig.cluster->node_state(node).up);
    CHECK(rig.links.extra_latency(rig.ip("dc1-r3-n1")) == sim::Duration{});          // never applied
    CHECK(rig.links.reachable(rig.ip("dc1-r1-n1"), rig.ip("dc1-r3-n1")));
    CHECK(rig.timeline->applied().size() == 1);
}

TEST_CASE("step states, targets and action names as GET /timeline shows them") {
    const auto sc = parse();
    CHECK(faults::step_state_name(StepState::pending) == "pending");
    CHECK(faults::step_state_name(StepState::active) == "active");
    CHECK(faults::step_state_name(StepState::reverted) == "reverted");
    CHECK(faults::step_state_name(StepState::done) == "done");
    CHECK(faults::step_state_name(StepState::cancelled) == "cancelled");
    CHECK(scenario::fault_action_name(sc.faults[0].action) == "stop_node");
    CHECK(scenario::fault_action_name(sc.faults[2].action) == "partition");
    CHECK(faults::FaultTimeline::target(sc.faults[0]) == "dc1-r2-n1");
    CHECK(faults::FaultTimeline::target(sc.faults[2]) == "dc1-r1-n1|dc1-r3-n1");
}
